using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Training.OnlineGate;

/// <summary>
/// The training workflow's online gate, a Lambda function (PIPELINE_ROLE=online-gate on AWS; the local interpreter calls
/// this class under the same FunctionName). One function, four actions, each a payload <c>{action, experiment, …}</c>:
/// <list type="bullet">
/// <item><c>enter</c> <c>{settings, recipes, results}</c>: when the run's offline gate promoted the challenger recipe, adds
/// variant <see cref="ChallengerKey"/> (that recipe and its campaign) at <c>settings.weight</c>, the other weights scaled by
/// 1 − weight, and re-versions the experiment (phase + 1: every user is bucketed again and the analysis starts afresh);
/// a challenger an earlier run left in the experiment (one run at a time: it cannot be another gate's) leaves first;
/// answers <c>{status: ENTERED|SKIPPED, settings (with defaults), challenger, control, recipe, campaign, phase}</c>.</item>
/// <item><c>decide</c> <c>{challenger, phase, settings, polls}</c>: reads the experiment's results and answers
/// <see cref="OnlineGateRule"/>'s <c>{decision: wait|promote|rollback, reason, figures}</c> (elapsed time = polls × poll_seconds).</item>
/// <item><c>promote</c>: the control variant takes the challenger's recipe and campaign, the challenger leaves, weights are
/// restored, phase + 1. <c>rollback</c>: the challenger leaves, weights are restored, phase + 1.</item>
/// </list>
/// Every answer has <c>error</c> (null, or the error name with <c>reason</c>): the Web Adapter cannot raise a named Lambda
/// error, so the state machine branches on it, as for the metric gate.
/// </summary>
public sealed class OnlineGateHandler(IExperimentStore experiments, ExperimentResultsService results, OnlineGateRule rule)
{
    /// <summary>The key of the variant the new model serves while the gate runs.</summary>
    public const string ChallengerKey = "challenger";

    public const string InvalidInput = "Pipeline.InvalidOnlineGate";
    public const string Failed = "Pipeline.OnlineGateFailed";

    public async Task<JsonObject> HandleJsonAsync(JsonNode? payload, CancellationToken cancellationToken = default)
    {
        try
        {
            if (payload is not JsonObject input) return Error(InvalidInput, "the payload must be a JSON object {action, experiment, …}");
            if (!TryString(input["experiment"], out var key)) return Error(InvalidInput, "experiment must be a string: the key of the experiment the challenger enters");
            var action = Str(input["action"]);
            var answer = action switch
            {
                "validate" => Validate(input),
                "enter" => await EnterAsync(key, input, cancellationToken),
                "decide" => await DecideAsync(key, input, cancellationToken),
                "promote" => await LeaveAsync(key, input, promote: true, cancellationToken),
                "rollback" => await LeaveAsync(key, input, promote: false, cancellationToken),
                _ => Error(InvalidInput, "action must be validate, enter, decide, promote or rollback"),
            };
            return Complete(answer, action);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Complete(Error(Failed, e.Message), Str((payload as JsonObject)?["action"]));
        }
    }

    /// <summary>The members each action's answer always has (null when unknown), so the state machine's ResultSelector finds them all.</summary>
    public static IReadOnlyDictionary<string, string[]> AnswerMembers { get; } = new Dictionary<string, string[]>
    {
        ["validate"] = ["settings", "error", "reason"],
        ["enter"] = ["status", "reason", "settings", "recipe", "challenger", "control", "campaign", "phase", "error"],
        ["decide"] = ["decision", "reason", "metric", "control_users", "challenger_users", "lift", "sequential_low", "sequential_high", "elapsed_days", "error"],
        ["promote"] = ["status", "reason", "control", "recipe", "campaign", "phase", "error"],
        ["rollback"] = ["status", "reason", "control", "recipe", "campaign", "phase", "error"],
    };

    private static JsonObject Complete(JsonObject answer, string? action)
    {
        foreach (var member in AnswerMembers.TryGetValue(action ?? "", out var members) ? members : ["error", "reason"])
        {
            if (!answer.ContainsKey(member)) answer[member] = null;
        }
        return answer;
    }

    /// <summary>Before any training: the settings with their defaults, or every invalid field named.</summary>
    private static JsonObject Validate(JsonObject input)
    {
        var settings = OnlineGateSettings.Parse(input["settings"], out var errors);
        return settings is null
            ? Error(InvalidInput, string.Join("; ", errors.Values))
            : new JsonObject { ["settings"] = settings.ToJson(), ["error"] = null, ["reason"] = "online_gate is valid" };
    }

    private async Task<JsonObject> EnterAsync(string key, JsonObject input, CancellationToken cancellationToken)
    {
        var settings = OnlineGateSettings.Parse(input["settings"], out var errors);
        if (settings is null) return Error(InvalidInput, string.Join("; ", errors.Values));
        var recipes = input["recipes"] as JsonArray;
        var recipe = settings.Recipe ?? Str(recipes?.FirstOrDefault());
        if (recipe is null) return Error(InvalidInput, "online_gate.recipe is required when the run names no recipe");
        if (recipes is not null && !recipes.Any(r => Str(r) == recipe))
        {
            return Error(InvalidInput, $"online_gate.recipe {recipe} is not one of the run's recipes");
        }
        var outcome = (input["results"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(r => Str(r["recipe"]) == recipe);
        var answer = new JsonObject { ["settings"] = (settings with { Recipe = recipe }).ToJson(), ["recipe"] = recipe, ["error"] = null };
        if (outcome is null || Str(outcome["status"]) != "PROMOTED" || Str(outcome["campaignArn"]) is not { } campaign)
        {
            answer["status"] = "SKIPPED";
            answer["reason"] = $"the offline gate did not promote {recipe} (status {Str(outcome?["status"]) ?? "none"}): no challenger enters";
            return answer;
        }

        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Error(Failed, $"no experiment {key}");
        if (experiment.Status != ExperimentStatus.Running) return Error(Failed, $"experiment {key} is {experiment.Status.ToString().ToLowerInvariant()}: a challenger enters only a running experiment");
        if (experiment.Allocation == ExperimentAllocation.Bandit) return Error(Failed, $"experiment {key} is a bandit: its weights are not the gate's to set");
        // The training machine runs one execution at a time (FindRunningExecutions, IsOldestRun: a later run ends SKIPPED
        // before any training), so no other gate can be waiting on this experiment: a challenger still in it was left by
        // a run that ended without leaving (stopped, timed out, or failed in the gate). It leaves now, as a rollback would.
        var current = experiment.Variants;
        var leftover = current.FirstOrDefault(v => v.Key == ChallengerKey);
        if (leftover is not null) current = Without(current, ChallengerKey);

        var variants = current.Select(v => v with { Weight = v.Weight * (1 - settings.Weight) })
            .Append(new Variant(ChallengerKey, settings.Weight, recipe, campaign)).ToArray();
        var updated = Reversion(experiment, variants);
        if (!await experiments.ReplaceAsync(experiment, updated, cancellationToken))
        {
            return Error(Failed, $"experiment {key} changed while the challenger entered; nothing was written");
        }
        answer["status"] = "ENTERED";
        answer["reason"] = $"{recipe} ({campaign}) entered {key} as {ChallengerKey} at weight {settings.Weight} (phase {updated.Phase})"
            + (leftover is null ? "" : $"; the {ChallengerKey} an earlier run left in {key} ({leftover.Recipe}, {leftover.Campaign ?? "no campaign"}) was removed first");
        answer["challenger"] = ChallengerKey;
        answer["control"] = experiment.Variants[0].Key;
        answer["campaign"] = campaign;
        answer["phase"] = updated.Phase;
        return answer;
    }

    private async Task<JsonObject> DecideAsync(string key, JsonObject input, CancellationToken cancellationToken)
    {
        var settings = OnlineGateSettings.Parse(input["settings"], out var errors);
        if (settings is null) return Error(InvalidInput, string.Join("; ", errors.Values));
        var challenger = Str(input["challenger"]) ?? ChallengerKey;
        var polls = OnlineGateSettings.TryNumber(input["polls"], out var n) ? n : 0;
        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Error(Failed, $"no experiment {key}");
        if (experiment.Variants.All(v => v.Key != challenger)) return Error(Failed, $"experiment {key} has no variant {challenger} any more");
        if (OnlineGateSettings.TryNumber(input["phase"], out var entered) && entered != experiment.Phase)
        {
            return Error(Failed, $"experiment {key} is in phase {experiment.Phase}, not the challenger's phase {entered}: it was re-versioned by hand");
        }
        var analysis = await results.GetAsync(key, cancellationToken) ?? throw new InvalidOperationException($"no results for {key}");
        var decision = rule.Decide(settings, analysis, challenger, polls * settings.PollSeconds);
        return new JsonObject
        {
            ["decision"] = decision.Name,
            ["reason"] = decision.Reason,
            ["metric"] = settings.Metric,
            ["control_users"] = decision.ControlUsers,
            ["challenger_users"] = decision.ChallengerUsers,
            ["lift"] = decision.Lift,
            ["sequential_low"] = decision.SequentialLow,
            ["sequential_high"] = decision.SequentialHigh,
            ["elapsed_days"] = decision.ElapsedDays,
            ["error"] = null,
        };
    }

    private async Task<JsonObject> LeaveAsync(string key, JsonObject input, bool promote, CancellationToken cancellationToken)
    {
        var challengerKey = Str(input["challenger"]) ?? ChallengerKey;
        var experiment = await experiments.GetAsync(key, cancellationToken);
        if (experiment is null) return Error(Failed, $"no experiment {key}");
        var challenger = experiment.Variants.FirstOrDefault(v => v.Key == challengerKey);
        if (challenger is null) return Error(Failed, $"experiment {key} has no variant {challengerKey}");
        var rest = Without(experiment.Variants, challengerKey);
        var variants = rest.Select((v, i) => v with
        {
            Recipe = promote && i == 0 ? challenger.Recipe : v.Recipe,
            Campaign = promote && i == 0 ? challenger.Campaign : v.Campaign,
        }).ToArray();
        var updated = Reversion(experiment, variants);
        if (!await experiments.ReplaceAsync(experiment, updated, cancellationToken))
        {
            return Error(Failed, $"experiment {key} changed while the challenger left; nothing was written");
        }
        return new JsonObject
        {
            ["status"] = promote ? "PROMOTED" : "ROLLED_BACK",
            ["reason"] = promote
                ? $"{rest[0].Key} now serves {challenger.Recipe} ({challenger.Campaign ?? "no campaign"}); {challengerKey} left {key} (phase {updated.Phase})"
                : $"{challengerKey} ({challenger.Recipe}) left {key}; {rest[0].Key} keeps {rest[0].Recipe} (phase {updated.Phase})",
            ["control"] = rest[0].Key,
            ["recipe"] = promote ? challenger.Recipe : rest[0].Recipe,
            ["campaign"] = promote ? challenger.Campaign : rest[0].Campaign,
            ["phase"] = updated.Phase,
            ["error"] = null,
        };
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

    private static JsonObject Error(string error, string reason) => new() { ["error"] = error, ["reason"] = reason };

    private static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool TryString(JsonNode? node, out string value)
    {
        value = Str(node) ?? "";
        return value.Length > 0;
    }
}
