using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline evaluate`: split, train one recipe on the training side, print Personalize's offline metrics.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var interactions = new Option<string>("--interactions") { Description = "Interactions CSV: Personalize's (USER_ID,ITEM_ID,TIMESTAMP,...) or plain with --user-col/--item-col.", Required = true };
        var recipe = new Option<string>("--recipe") { Description = $"Recipe name or ARN, or an evaluation baseline ({string.Join(", ", EvaluationTrainer.Names)}).", Required = true };
        var holdout = new Option<string>("--holdout") { Description = "personalize (10% of users, newest 10%), time (every user's newest 10%) or random (a random 10% of every user's).", DefaultValueFactory = _ => "personalize" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var userColumn = new Option<string?>("--user-col") { Description = "User column of a plain CSV." };
        var itemColumn = new Option<string?>("--item-col") { Description = "Item column of a plain CSV." };
        var timeColumn = new Option<string?>("--time-col") { Description = "Timestamp column of a plain CSV (optional)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the holdout split.", DefaultValueFactory = _ => 42 };
        var targets = new Option<string>("--targets") { Description = "all (every held-out item, as Personalize scores) or new (only items the user has not interacted with before).", DefaultValueFactory = _ => "all" };
        var itemsFile = new Option<string?>("--items") { Description = "Personalize items CSV (ITEM_ID, CATEGORY, ...): recipes that use item metadata get it." };
        var hyper = new Option<string[]>("--hyper") { Description = "Hyperparameter as name=value (repeatable), e.g. lambda=200.", AllowMultipleArgumentsPerToken = true };

        var command = new Command("evaluate", "Train a recipe on a holdout split and print GetSolutionMetrics-style offline metrics.");
        foreach (var option in new Option[] { interactions, recipe, holdout, json, userColumn, itemColumn, timeColumn, seed, targets, hyper, itemsFile }) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var path = parse.GetValue(interactions)!;
            var recipeName = parse.GetValue(recipe)!;
            if (!File.Exists(path)) throw new CommandLineException($"--interactions '{path}' does not exist.");
            if (!EvaluationTrainer.IsKnown(recipeName)) throw new CommandLineException($"unknown --recipe '{recipeName}' (known: {string.Join(", ", EvaluationTrainer.Names)}).");
            var strategy = parse.GetValue(holdout) switch
            {
                "personalize" => HoldoutStrategy.Personalize,
                "time" => HoldoutStrategy.Time,
                "random" => HoldoutStrategy.Random,
                var other => throw new CommandLineException($"--holdout must be personalize, time or random (got '{other}')."),
            };
            var hyperParameters = ParseHyper(parse.GetValue(hyper) ?? []);
            var user = parse.GetValue(userColumn);
            var item = parse.GetValue(itemColumn);
            if ((user is null) != (item is null)) throw new CommandLineException("--user-col and --item-col go together.");

            InteractionDataset dataset;
            IReadOnlyList<Pipeline.Domain.Catalog.Item>? catalogItems = null;
            var itemsPath = parse.GetValue(itemsFile);
            if (itemsPath is not null && !File.Exists(itemsPath)) throw new CommandLineException($"--items '{itemsPath}' does not exist.");
            try
            {
                dataset = user is null ? InteractionsCsv.Read(path, cancellationToken) : PlainInteractionsCsv.Read(path, user, item!, parse.GetValue(timeColumn));
                if (itemsPath is not null) catalogItems = ItemsCsv.Read(itemsPath);
            }
            catch (CsvFormatException e)
            {
                throw new CommandLineException(e.Message);
            }
            var split = Holdout.Split(dataset, strategy, parse.GetValue(seed));
            split = parse.GetValue(targets) switch
            {
                "all" => split,
                "new" => NewItemTargets.Apply(split),
                var other => throw new CommandLineException($"--targets must be all or new (got '{other}')."),
            };
            var stopwatch = Stopwatch.StartNew();
            Pipeline.Domain.Recommendations.IRecommendationModel model;
            try
            {
                model = EvaluationTrainer.Train(recipeName, split.Training, hyperParameters, cancellationToken, catalogItems);
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }
            var trainingSeconds = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            var timed = new TimedModel(model);
            var metrics = await OfflineEvaluator.EvaluateAsync(timed, split, cancellationToken);
            var evaluationSeconds = stopwatch.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var report = new SortedDictionary<string, object>(StringComparer.Ordinal)
            {
                ["recipe"] = Pipeline.Domain.Recommendations.Recipes.Normalize(recipeName),
                ["holdout"] = strategy.ToString().ToLowerInvariant(),
                ["interactions"] = dataset.Count,
                ["test_users"] = split.TestUsers.Count,
                ["targets"] = parse.GetValue(targets)!,
                ["training_seconds"] = Math.Round(trainingSeconds, 3),
                ["evaluation_seconds"] = Math.Round(evaluationSeconds, 3),
                ["request_p50_us"] = Math.Round(timed.PercentileMicroseconds(50), 1),
                ["request_p99_us"] = Math.Round(timed.PercentileMicroseconds(99), 1),
                ["peak_working_set_mib"] = Math.Round(peak / 1048576.0, 1),
                ["gc_heap_mib"] = Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, 1),
            };
            if (model is Pipeline.Engine.Recipes.UserPersonalizationModel up)
                foreach (var (key, value) in up.Options.ToHyperParameters()) report["hyperparameter." + key] = value;
            foreach (var (name, value) in metrics) report[name] = Math.Round(value, 4);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) await output.WriteLineAsync(JsonSerializer.Serialize(report));
            else
                foreach (var (name, value) in report)
                    await output.WriteLineAsync($"{name,-45} {Convert.ToString(value, CultureInfo.InvariantCulture)}");
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> ParseHyper(string[] pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new CommandLineException($"--hyper '{pair}' must be name=value.");
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }
}
