using System.Diagnostics;
using Pipeline.Domain.Catalog;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;
using Pipeline.Personalize.Local.ControlPlane;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Training;

/// <summary>
/// Trains a solution version on the engine as Personalize does: checks the data minimums, measures offline metrics
/// on Personalize's holdout (a model trained without the held-out rows), then trains the served model on all data.
/// User recipes are asked for each test user; aws-sims for each test user's latest training item (<see cref="LatestItemSeededModel"/>).
/// </summary>
internal sealed class SolutionTrainer(PersonalizeContext context)
{
    /// <summary>Personalize's minimums for training (after filtering by the solution's event type).</summary>
    public const int MinimumInteractions = 1000;
    public const int MinimumUsersWithTwoInteractions = 25;

    /// <summary>GetSolutionMetrics reports these; the engine's extra recall_at_20 stays out of Personalize's shape.</summary>
    private static readonly string[] ReportedMetrics =
    [
        MetricNames.Coverage, MetricNames.MeanReciprocalRankAt25, MetricNames.NdcgAt5, MetricNames.NdcgAt10, MetricNames.NdcgAt25,
        MetricNames.PrecisionAt5, MetricNames.PrecisionAt10, MetricNames.PrecisionAt25,
    ];

    public async Task TrainAsync(string solutionVersionArn, CancellationToken cancellationToken)
    {
        var (version, datasets) = context.Store.Read(state =>
        {
            var version = state.SolutionVersions[solutionVersionArn];
            var datasets = state.Datasets.Values.Where(d => d.DatasetGroupArn == version.DatasetGroupArn && d.Status == Lifecycle.Statuses.Active)
                .ToDictionary(d => DatasetTypes.Normalize(d.DatasetType), d => d.DatasetArn, StringComparer.Ordinal);
            return (version, datasets);
        });
        var recipe = context.Options.Recipes.Find(version.RecipeArn)
            ?? throw new TrainingFailedException($"The recipe {version.RecipeArn} is not available in the local Personalize. Available recipes: {string.Join(", ", context.Options.Recipes.All.Select(r => Domain.Recommendations.Recipes.Arn(r.Name)))}.");

        var interactionsFile = datasets.TryGetValue(DatasetTypes.Interactions, out var interactionsArn) ? context.Paths.DatasetFile(interactionsArn) : null;
        if (interactionsFile is null || !File.Exists(interactionsFile))
            throw new TrainingFailedException($"The dataset group {version.DatasetGroupArn} has no imported interactions data; import an Interactions dataset first.");
        var interactions = DatasetData.Read(interactionsFile, path => InteractionsCsv.Read(path, cancellationToken));
        var items = ReadOptional(datasets, DatasetTypes.Items, ItemsCsv.Read);
        var users = ReadOptional(datasets, DatasetTypes.Users, UsersCsv.Read);
        CheckMinimums(interactions, version.EventType);

        var hyperParameters = new Dictionary<string, string>(recipe.DefaultHyperParameters, StringComparer.Ordinal);
        if (version.SolutionConfig?["algorithmHyperParameters"] is { } given)
            foreach (var (key, value) in Json.Request.StringMap(given, "solutionConfig.algorithmHyperParameters")!) hyperParameters[key] = value;
        if (version.EventType is { } eventType) hyperParameters.TryAdd("eventType", eventType);

        var stopwatch = Stopwatch.StartNew();
        var split = Holdout.Split(interactions, HoldoutStrategy.Personalize, context.Options.MetricsSeed);
        var evaluated = recipe.Train(new TrainingData(split.Training, items, users), hyperParameters, cancellationToken);
        // Similar-items models answer for an item (RELATED_ITEMS): asked without one they would return their popular
        // fallback and score as popularity-count does, so they are seeded as serving seeds them.
        if (recipe.Name == Domain.Recommendations.Recipes.Sims) evaluated = new LatestItemSeededModel(evaluated, split.Training);
        var metrics = await OfflineEvaluator.EvaluateAsync(evaluated, split, cancellationToken);
        var model = recipe.Train(new TrainingData(interactions, items, users), hyperParameters, cancellationToken);
        stopwatch.Stop();

        context.Models.Add(solutionVersionArn, model, interactions.Fingerprint(), context.Now);
        context.Store.Write(state =>
        {
            state.SolutionMetrics[solutionVersionArn] = ReportedMetrics.Where(metrics.ContainsKey).ToDictionary(m => m, m => Math.Round(metrics[m], 4), StringComparer.Ordinal);
            if (state.SolutionVersions.TryGetValue(solutionVersionArn, out var stored))
            {
                stored.TrainingHours = Math.Round(stopwatch.Elapsed.TotalHours, 6);
                stored.TunedHPOParams = new System.Text.Json.Nodes.JsonObject
                {
                    ["algorithmHyperParameters"] = new System.Text.Json.Nodes.JsonObject(hyperParameters.Select(p => KeyValuePair.Create(p.Key, (System.Text.Json.Nodes.JsonNode?)p.Value))),
                };
            }
        });
    }

    private IReadOnlyList<T>? ReadOptional<T>(Dictionary<string, string> datasets, string type, Func<string, IReadOnlyList<T>> read)
    {
        if (!datasets.TryGetValue(type, out var arn)) return null;
        var file = context.Paths.DatasetFile(arn);
        return File.Exists(file) ? DatasetData.Read(file, read) : null;
    }

    private static void CheckMinimums(InteractionDataset interactions, string? eventType)
    {
        var code = eventType is null ? -1 : interactions.EventTypeCode(eventType);
        var perUser = new int[interactions.UserIds.Count];
        var count = 0;
        var codes = interactions.EventTypeCodes;
        var users = interactions.UserIndex;
        for (var row = 0; row < interactions.Count; row++)
        {
            if (eventType is not null && codes[row] != code) continue;
            count++;
            perUser[users[row]]++;
        }
        var of = eventType is null ? "" : $" of event type '{eventType}'";
        if (count < MinimumInteractions)
            throw new TrainingFailedException($"Insufficient data: the dataset group has {count} interactions{of}; at least {MinimumInteractions} are required.");
        var activeUsers = perUser.Count(n => n >= 2);
        if (activeUsers < MinimumUsersWithTwoInteractions)
            throw new TrainingFailedException($"Insufficient data: {activeUsers} users have at least 2 interactions{of}; at least {MinimumUsersWithTwoInteractions} such users are required.");
    }
}

/// <summary>Why training failed; its message becomes the solution version's failureReason.</summary>
public sealed class TrainingFailedException(string message) : Exception(message);
