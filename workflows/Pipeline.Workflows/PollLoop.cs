using Amazon.CDK;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Pipeline.Workflows;

/// <summary>
/// One Describe/Choice/Wait loop: <c>Init{Name}Poll → {describe} → Count{Name}Poll → Check{Name}Status</c>, then
/// <c>WaitFor{Name}</c> and back to the describe, until an outcome holds or the attempts run out. While the delay can
/// grow (<see cref="PollSettings.MaxSeconds"/> above the initial one) each wait is followed by <c>Backoff{Name}</c>,
/// which doubles it up to the cap; a delay that cannot grow is a fixed Wait. The counter lives at the given path as
/// <c>{attempts, seconds}</c> (<c>{attempts}</c> for a fixed delay).
/// </summary>
internal static class PollLoop
{
    /// <summary>
    /// Polls until the status the describe task put at <c>$.{key}.status</c> is ACTIVE (→ onActive), a failure status
    /// (→ <c>{Name}Failed</c>) or the attempts run out (→ <c>{Name}PollExhausted</c>); both failure Passes leave
    /// <c>{State, Error, Cause}</c> in <c>$.error</c> and go to onFailure. The describe task must put
    /// <c>{status, resource}</c> at <c>$.{key}</c>; the counter lives at <c>$.{key}Poll</c>.
    /// </summary>
    public static IChainable UntilActive(
        Construct scope, string name, string key, TaskStateBase describe, PollSettings settings,
        IChainable onActive, IChainable onFailure, string failureError, params string[] failureStatuses)
    {
        var names = new PollStateNames(name);
        var counter = $"$.{key}Poll";
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
                ["State"] = names.Check,
                ["Error"] = "Pipeline.PollTimeout",
                ["Cause"] = JsonPath.Format("still {} after {} polls", JsonPath.StringAt($"$.{key}.status"), JsonPath.StringAt(counter + ".attempts")),
            },
            ResultPath = "$.error",
        });
        failed.Next(onFailure);
        exhausted.Next(onFailure);
        var failedStatus = failureStatuses.Length == 1
            ? Condition.StringEquals($"$.{key}.status", failureStatuses[0])
            : Condition.Or([.. failureStatuses.Select(s => Condition.StringEquals($"$.{key}.status", s))]);
        return Build(scope, names, counter, describe, settings, exhausted,
            (Condition.StringEquals($"$.{key}.status", "ACTIVE"), onActive),
            (failedStatus, failed));
    }

    /// <summary>
    /// Polls a deleted resource until the describe task answers ResourceNotFoundException: the resource is gone
    /// (→ onGone). Until then any answer means it is still there; when the attempts run out the loop goes to
    /// <paramref name="exhausted"/>. It waits before the first describe: a deletion just requested is never over yet.
    /// </summary>
    public static IChainable UntilGone(
        Construct scope, PollStateNames names, string counter, TaskStateBase describe, PollSettings settings,
        IChainable onGone, IChainable exhausted)
    {
        describe.AddCatch(onGone, new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        return Build(scope, names, counter, describe, settings, exhausted, waitFirst: true);
    }

    /// <summary>
    /// The loop: after each describe the first of <paramref name="outcomes"/> that holds leaves it; otherwise it ends
    /// at <paramref name="exhausted"/> once the attempts reach the maximum, or waits and describes again.
    /// </summary>
    private static IChainable Build(
        Construct scope, PollStateNames names, string counter, TaskStateBase describe, PollSettings settings,
        IChainable exhausted, params (Condition When, IChainable Then)[] outcomes) =>
        Build(scope, names, counter, describe, settings, exhausted, waitFirst: false, outcomes);

    private static IChainable Build(
        Construct scope, PollStateNames names, string counter, TaskStateBase describe, PollSettings settings,
        IChainable exhausted, bool waitFirst, params (Condition When, IChainable Then)[] outcomes)
    {
        var delayGrows = settings.MaxSeconds > settings.InitialSeconds;
        var init = new Pass(scope, names.Init, new PassProps
        {
            Result = Result.FromObject(delayGrows
                ? new Dictionary<string, object> { ["attempts"] = 0, ["seconds"] = settings.InitialSeconds }
                : new Dictionary<string, object> { ["attempts"] = 0 }),
            ResultPath = counter,
        });
        var count = new Pass(scope, names.Count, new PassProps
        {
            Parameters = delayGrows
                ? new Dictionary<string, object>
                {
                    ["attempts"] = JsonPath.MathAdd(JsonPath.NumberAt(counter + ".attempts"), 1),
                    ["seconds"] = JsonPath.NumberAt(counter + ".seconds"),
                }
                : new Dictionary<string, object> { ["attempts"] = JsonPath.MathAdd(JsonPath.NumberAt(counter + ".attempts"), 1) },
            ResultPath = counter,
        });
        var wait = new Wait(scope, names.Wait, new WaitProps
        {
            Time = delayGrows ? WaitTime.SecondsPath(counter + ".seconds") : WaitTime.Duration(Duration.Seconds(settings.InitialSeconds)),
        });
        wait.Next(delayGrows ? Backoff(scope, names, counter, settings, describe) : describe);

        var check = new Choice(scope, names.Check);
        foreach (var (when, then) in outcomes) check.When(when, then);
        check.When(Condition.NumberGreaterThanEquals(counter + ".attempts", settings.MaxAttempts), exhausted).Otherwise(wait);
        init.Next(waitFirst ? wait : describe);
        describe.Next(count);
        count.Next(check);
        return init;
    }

    /// <summary><c>Backoff{Name}</c>: the next wait is twice this one, but no longer than the cap; then the describe again.</summary>
    private static IChainable Backoff(Construct scope, PollStateNames names, string counter, PollSettings settings, IChainable describe)
    {
        var clamp = new Pass(scope, names.Clamp, new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.NumberAt(counter + ".attempts"),
                ["seconds"] = settings.MaxSeconds,
            },
            ResultPath = counter,
        });
        var doubled = new Pass(scope, names.Double, new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["attempts"] = JsonPath.NumberAt(counter + ".attempts"),
                ["seconds"] = JsonPath.MathAdd(JsonPath.NumberAt(counter + ".seconds"), JsonPath.NumberAt(counter + ".seconds")),
            },
            ResultPath = counter,
        });
        clamp.Next(describe);
        doubled.Next(describe);
        return new Choice(scope, names.Backoff)
            .When(Condition.NumberGreaterThanEquals(counter + ".seconds", settings.MaxSeconds / 2.0), clamp)
            .Otherwise(doubled);
    }
}
