using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Training.OnlineGate;

/// <summary>
/// The training workflow's online gate on the experiment: a recipe the offline gate promoted enters as a challenger,
/// each poll decides on the experiment's results with <see cref="OnlineGateRule"/>, and the challenger leaves promoted
/// (the control takes its recipe and campaign) or rolled back. Every change re-versions the experiment (phase + 1:
/// every user is bucketed again and the analysis starts afresh).
/// </summary>
public sealed class OnlineGateActions(IExperimentStore experiments, ExperimentResultsService results, OnlineGateRule rule)
{
    /// <summary>The key of the variant the new model serves while the gate runs.</summary>
    public const string ChallengerKey = "challenger";

    public const string InvalidInput = "Pipeline.InvalidOnlineGate";
    public const string Failed = "Pipeline.OnlineGateFailed";

    /// <summary>
    /// When the run's offline gate promoted the challenger recipe (<c>settings.Recipe</c>, default the run's first
    /// recipe), adds variant <see cref="ChallengerKey"/> (that recipe and its campaign) at <c>settings.Weight</c>, the
    /// other weights scaled by 1 − weight; a challenger an earlier run left in the experiment leaves first.
    /// </summary>
    /// <param name="recipes">The run's recipes (null: the run names none); an entry that is not a name is null.</param>
    public async Task<OnlineGateAnswer<ChallengerEntry>> EnterAsync(string key, OnlineGateSettings settings, IReadOnlyList<string?>? recipes,
        IReadOnlyList<RecipeOutcome> outcomes, CancellationToken cancellationToken)
    {
        var recipe = settings.Recipe ?? recipes?.FirstOrDefault();
        if (recipe is null) return Failure<ChallengerEntry>(InvalidInput, "online_gate.recipe is required when the run names no recipe");
        if (recipes is not null && !recipes.Contains(recipe))
        {
            return Failure<ChallengerEntry>(InvalidInput, $"online_gate.recipe {recipe} is not one of the run's recipes");
        }
        var outcome = outcomes.FirstOrDefault(r => r.Recipe == recipe);
        var chosen = settings with { Recipe = recipe };
        if (outcome is null || outcome.Status != "PROMOTED" || outcome.CampaignArn is not { } campaign)
        {
            return new ChallengerEntry("SKIPPED",
                $"the offline gate did not promote {recipe} (status {outcome?.Status ?? "none"}): no challenger enters", chosen);
        }

        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Failure<ChallengerEntry>(Failed, $"no experiment {key}");
        if (experiment.Status != ExperimentStatus.Running) return Failure<ChallengerEntry>(Failed, $"experiment {key} is {experiment.Status.ToString().ToLowerInvariant()}: a challenger enters only a running experiment");
        if (experiment.Allocation == ExperimentAllocation.Bandit) return Failure<ChallengerEntry>(Failed, $"experiment {key} is a bandit: its weights are not the gate's to set");
        // The training machine runs one execution at a time (FindRunningExecutions, IsOldestRun: a later run ends SKIPPED
        // before any training), so no other gate can be waiting on this experiment: a challenger still in it was left by
        // a run that ended without leaving (stopped or timed out, or its WithdrawChallenger failed). It leaves now, as a rollback would.
        var current = experiment.Variants;
        var leftover = current.FirstOrDefault(v => v.Key == ChallengerKey);
        if (leftover is not null) current = Without(current, ChallengerKey);

        var variants = current.Select(v => v with { Weight = v.Weight * (1 - settings.Weight) })
            .Append(new Variant(ChallengerKey, settings.Weight, recipe, campaign)).ToArray();
        var updated = Reversion(experiment, variants);
        if (!await experiments.ReplaceAsync(experiment, updated, cancellationToken))
        {
            return Failure<ChallengerEntry>(Failed, $"experiment {key} changed while the challenger entered; nothing was written");
        }
        return new ChallengerEntry("ENTERED",
            $"{recipe} ({campaign}) entered {key} as {ChallengerKey} at weight {settings.Weight} (phase {updated.Phase})"
            + (leftover is null ? "" : $"; the {ChallengerKey} an earlier run left in {key} ({leftover.Recipe}, {leftover.Campaign ?? "no campaign"}) was removed first"),
            chosen, ChallengerKey, experiment.Variants[0].Key, campaign, updated.Phase);
    }

    /// <summary>
    /// Reads the experiment's results and applies <see cref="OnlineGateRule"/> (elapsed time = polls × poll seconds).
    /// </summary>
    /// <param name="phase">The phase the challenger entered in, when known: another one means the experiment was re-versioned by hand.</param>
    public async Task<OnlineGateAnswer<ChallengerVerdict>> DecideAsync(string key, OnlineGateSettings settings, string challenger, double? phase,
        double polls, CancellationToken cancellationToken)
    {
        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Failure<ChallengerVerdict>(Failed, $"no experiment {key}");
        if (experiment.Variants.All(v => v.Key != challenger)) return Failure<ChallengerVerdict>(Failed, $"experiment {key} has no variant {challenger} any more");
        if (phase is { } entered && entered != experiment.Phase)
        {
            return Failure<ChallengerVerdict>(Failed, $"experiment {key} is in phase {experiment.Phase}, not the challenger's phase {entered}: it was re-versioned by hand");
        }
        var analysis = await results.GetAsync(key, cancellationToken) ?? throw new InvalidOperationException($"no results for {key}");
        return new ChallengerVerdict(rule.Decide(settings, analysis, challenger, polls * settings.PollSeconds), settings.Metric);
    }

    /// <summary>
    /// The challenger leaves and the weights are restored; promoted, the control variant takes the challenger's recipe
    /// and campaign.
    /// </summary>
    public async Task<OnlineGateAnswer<ChallengerExit>> LeaveAsync(string key, string challengerKey, bool promote, CancellationToken cancellationToken)
    {
        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Failure<ChallengerExit>(Failed, $"no experiment {key}");
        var challenger = experiment.Variants.FirstOrDefault(v => v.Key == challengerKey);
        if (challenger is null) return Failure<ChallengerExit>(Failed, $"experiment {key} has no variant {challengerKey}");
        var rest = Without(experiment.Variants, challengerKey);
        var variants = rest.Select((v, i) => v with
        {
            Recipe = promote && i == 0 ? challenger.Recipe : v.Recipe,
            Campaign = promote && i == 0 ? challenger.Campaign : v.Campaign,
        }).ToArray();
        var updated = Reversion(experiment, variants);
        if (!await experiments.ReplaceAsync(experiment, updated, cancellationToken))
        {
            return Failure<ChallengerExit>(Failed, $"experiment {key} changed while the challenger left; nothing was written");
        }
        return new ChallengerExit(
            promote ? "PROMOTED" : "ROLLED_BACK",
            promote
                ? $"{rest[0].Key} now serves {challenger.Recipe} ({challenger.Campaign ?? "no campaign"}); {challengerKey} left {key} (phase {updated.Phase})"
                : $"{challengerKey} ({challenger.Recipe}) left {key}; {rest[0].Key} keeps {rest[0].Recipe} (phase {updated.Phase})",
            rest[0].Key,
            promote ? challenger.Recipe : rest[0].Recipe,
            promote ? challenger.Campaign : rest[0].Campaign,
            updated.Phase);
    }

    /// <summary>The variants but <paramref name="challengerKey"/>, their weights restored to sum to 1.</summary>
    private static Variant[] Without(IReadOnlyList<Variant> variants, string challengerKey)
    {
        var rest = variants.Where(v => v.Key != challengerKey).ToArray();
        var total = rest.Sum(v => v.Weight);
        return [.. rest.Select(v => v with { Weight = total > 0 ? v.Weight / total : 1.0 / rest.Length })];
    }

    /// <summary>New variants under a new phase: sticky assignments and aggregates start afresh, as <c>reassign: true</c> does.</summary>
    private static Experiment Reversion(Experiment experiment, IReadOnlyList<Variant> variants) =>
        experiment with { Variants = variants, Phase = experiment.Phase + 1, WeightsChangedAt = null };

    private static OnlineGateAnswer<T> Failure<T>(string error, string reason) where T : class => OnlineGateAnswer<T>.Failure(error, reason);
}
