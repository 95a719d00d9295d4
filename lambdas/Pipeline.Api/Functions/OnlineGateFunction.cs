using System.Text.Json.Nodes;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Api.Functions;

/// <summary>
/// The training workflow's online gate, a Lambda function (PIPELINE_ROLE=online-gate on AWS; the local interpreter calls
/// this class under the same FunctionName). One function, five actions, each a payload <c>{action, experiment, …}</c>:
/// <list type="bullet">
/// <item><c>validate</c> <c>{settings}</c>: the settings with their defaults, or every invalid field named.</item>
/// <item><c>enter</c> <c>{settings, recipes, results}</c>: <see cref="OnlineGateActions.EnterAsync"/>; answers
/// <c>{status: ENTERED|SKIPPED, settings (with defaults), challenger, control, recipe, campaign, phase}</c>.</item>
/// <item><c>decide</c> <c>{challenger, phase, settings, polls}</c>: <see cref="OnlineGateActions.DecideAsync"/>; answers
/// <see cref="OnlineGateRule"/>'s <c>{decision: wait|promote|rollback, reason, figures}</c>.</item>
/// <item><c>promote</c>, <c>rollback</c> <c>{challenger}</c>: <see cref="OnlineGateActions.LeaveAsync"/>.</item>
/// </list>
/// Every answer has <c>error</c> (null, or the error name with <c>reason</c>): the Web Adapter cannot raise a named Lambda
/// error, so the state machine branches on it, as for the metric gate. This class is the function's JSON transport only.
/// </summary>
public sealed class OnlineGateFunction(OnlineGateActions gate)
{
    public async Task<JsonObject> HandleJsonAsync(JsonNode? payload, CancellationToken cancellationToken = default)
    {
        try
        {
            if (payload is not JsonObject input) return Error(OnlineGateActions.InvalidInput, "the payload must be a JSON object {action, experiment, …}");
            if (!PayloadValues.TryNonEmptyString(input["experiment"], out var key)) return Error(OnlineGateActions.InvalidInput, "experiment must be a string: the key of the experiment the challenger enters");
            var action = PayloadValues.String(input["action"]);
            var answer = action switch
            {
                "validate" => Validate(input),
                "enter" => await EnterAsync(key, input, cancellationToken),
                "decide" => await DecideAsync(key, input, cancellationToken),
                "promote" => await LeaveAsync(key, input, promote: true, cancellationToken),
                "rollback" => await LeaveAsync(key, input, promote: false, cancellationToken),
                _ => Error(OnlineGateActions.InvalidInput, "action must be validate, enter, decide, promote or rollback"),
            };
            return Complete(answer, action);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Complete(Error(OnlineGateActions.Failed, e.Message), PayloadValues.String((payload as JsonObject)?["action"]));
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
        var settings = OnlineGateSettingsJson.Parse(input["settings"], out var errors);
        return settings is null
            ? Error(OnlineGateActions.InvalidInput, string.Join("; ", errors.Values))
            : new JsonObject { ["settings"] = settings.ToJson(), ["error"] = null, ["reason"] = "online_gate is valid" };
    }

    private async Task<JsonObject> EnterAsync(string key, JsonObject input, CancellationToken cancellationToken)
    {
        var settings = OnlineGateSettingsJson.Parse(input["settings"], out var errors);
        if (settings is null) return Error(OnlineGateActions.InvalidInput, string.Join("; ", errors.Values));
        var recipes = (input["recipes"] as JsonArray)?.Select(PayloadValues.String).ToList();
        var outcomes = (input["results"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => new RecipeOutcome(PayloadValues.String(r["recipe"]), PayloadValues.String(r["status"]), PayloadValues.String(r["campaignArn"])))
            .ToList();
        var answer = await gate.EnterAsync(key, settings, recipes, outcomes, cancellationToken);
        if (answer.Result is not { } entry) return Error(answer);
        return new JsonObject
        {
            ["settings"] = entry.Settings.ToJson(),
            ["recipe"] = entry.Settings.Recipe,
            ["error"] = null,
            ["status"] = entry.Status,
            ["reason"] = entry.Reason,
            ["challenger"] = entry.Challenger,
            ["control"] = entry.Control,
            ["campaign"] = entry.Campaign,
            ["phase"] = entry.Phase,
        };
    }

    private async Task<JsonObject> DecideAsync(string key, JsonObject input, CancellationToken cancellationToken)
    {
        var settings = OnlineGateSettingsJson.Parse(input["settings"], out var errors);
        if (settings is null) return Error(OnlineGateActions.InvalidInput, string.Join("; ", errors.Values));
        var challenger = PayloadValues.String(input["challenger"]) ?? OnlineGateActions.ChallengerKey;
        var polls = OnlineGateSettingsJson.TryNumber(input["polls"], out var n) ? n : 0;
        double? phase = OnlineGateSettingsJson.TryNumber(input["phase"], out var entered) ? entered : null;
        var answer = await gate.DecideAsync(key, settings, challenger, phase, polls, cancellationToken);
        if (answer.Result is not { Decision: var decision } verdict) return Error(answer);
        return new JsonObject
        {
            ["decision"] = decision.Name,
            ["reason"] = decision.Reason,
            ["metric"] = verdict.Metric,
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
        var answer = await gate.LeaveAsync(key, PayloadValues.String(input["challenger"]) ?? OnlineGateActions.ChallengerKey, promote, cancellationToken);
        if (answer.Result is not { } exit) return Error(answer);
        return new JsonObject
        {
            ["status"] = exit.Status,
            ["reason"] = exit.Reason,
            ["control"] = exit.Control,
            ["recipe"] = exit.Recipe,
            ["campaign"] = exit.Campaign,
            ["phase"] = exit.Phase,
            ["error"] = null,
        };
    }

    private static JsonObject Error<T>(OnlineGateAnswer<T> failure) where T : class => Error(failure.Error!, failure.Reason!);

    private static JsonObject Error(string error, string reason) => new() { ["error"] = error, ["reason"] = reason };
}
