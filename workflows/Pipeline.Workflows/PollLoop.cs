using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Workflows;

/// <summary>
/// One Describe/Choice/Wait loop: <c>Init{Name}Poll → {describe} → Count{Name}Poll → Check{Name}Status</c>, then
/// <c>WaitFor{Name} → Backoff{Name}</c> (the wait doubles up to the cap) and back to the describe, until the status is
/// ACTIVE (→ onActive), a failure status (→ <c>{Name}Failed</c>) or the attempts run out (→ <c>{Name}PollExhausted</c>);
/// both failure Passes leave <c>{State, Error, Cause}</c> in <c>$.error</c> and go to onFailure.
/// The describe task must put <c>{status, resource}</c> at <c>$.{key}</c>; the counter lives at <c>$.{key}Poll</c>.
/// </summary>
internal static class PollLoop
{
    public static IChainable Build(
        Construct scope, string name, string key, TaskStateBase describe, PollSettings settings,
        IChainable onActive, IChainable onFailure, string failureError, params string[] failureStatuses)
    {
        var counter = $"$.{key}Poll";
        var init = new Pass(scope, $"Init{name}Poll", new PassProps
        {
            Result = Result.FromObject(new Dictionary<string, object> { ["attempts"] = 0, ["seconds"] = settings.InitialSeconds }),
            ResultPath = counter,
        });
        var count = new Pass(scope, $"Count{name}Poll", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.MathAdd(JsonPath.NumberAt(counter + ".attempts"), 1),
                ["seconds"] = JsonPath.NumberAt(counter + ".seconds"),
            },
            ResultPath = counter,
        });
        var wait = new Wait(scope, $"WaitFor{name}", new WaitProps { Time = WaitTime.SecondsPath(counter + ".seconds") });
        var clamp = new Pass(scope, $"Clamp{name}Delay", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.NumberAt(counter + ".attempts"),
                ["seconds"] = settings.MaxSeconds,
            },
            ResultPath = counter,
        });
        var doubled = new Pass(scope, $"Double{name}Delay", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.NumberAt(counter + ".attempts"),
                ["seconds"] = JsonPath.MathAdd(JsonPath.NumberAt(counter + ".seconds"), JsonPath.NumberAt(counter + ".seconds")),
            },
            ResultPath = counter,
        });
        // The whole description goes into the cause: it carries Personalize's failureReason when there is one, and
        // JsonToString cannot fail on a missing member the way a path to FailureReason would (States.Runtime is uncatchable).
        var failed = new Pass(scope, $"{name}Failed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = describe.Id,
                ["Error"] = failureError,
                ["Cause"] = JsonPath.Format("ended in status {}: {}", JsonPath.StringAt($"$.{key}.status"), JsonPath.JsonToString(JsonPath.StringAt($"$.{key}.resource"))),
            },
            ResultPath = "$.error",
        });
        var exhausted = new Pass(scope, $"{name}PollExhausted", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = $"Check{name}Status",
                ["Error"] = "Pipeline.PollTimeout",
                ["Cause"] = JsonPath.Format("still {} after {} polls", JsonPath.StringAt($"$.{key}.status"), JsonPath.StringAt(counter + ".attempts")),
            },
            ResultPath = "$.error",
        });
        failed.Next(onFailure);
        exhausted.Next(onFailure);

        var backoff = new Choice(scope, $"Backoff{name}")
            .When(Condition.NumberGreaterThanEquals(counter + ".seconds", settings.MaxSeconds / 2.0), clamp)
            .Otherwise(doubled);
        clamp.Next(describe);
        doubled.Next(describe);
        wait.Next(backoff);

        var check = new Choice(scope, $"Check{name}Status")
            .When(Condition.StringEquals($"$.{key}.status", "ACTIVE"), onActive)
            .When(failureStatuses.Length == 1
                ? Condition.StringEquals($"$.{key}.status", failureStatuses[0])
                : Condition.Or([.. failureStatuses.Select(s => Condition.StringEquals($"$.{key}.status", s))]), failed)
            .When(Condition.NumberGreaterThanEquals(counter + ".attempts", settings.MaxAttempts), exhausted)
            .Otherwise(wait);
        init.Next(describe);
        describe.Next(count);
        count.Next(check);
        return init;
    }
}
