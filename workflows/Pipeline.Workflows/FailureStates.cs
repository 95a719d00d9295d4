using Amazon.CDK;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;

namespace Pipeline.Workflows;

/// <summary>
/// How the Personalize machines retry and report failures, the same in each: throttling is retried, any other error
/// leaves {State, Error, Cause} in $.error, and one alert then one Fail end every failure path.
/// </summary>
internal static class FailureStates
{
    /// <summary>A service's throttling errors (Personalize's by default), retried with full-jitter exponential backoff.</summary>
    public static RetryProps ThrottlingRetry(string[]? errors = null) => new()
    {
        Errors = errors ?? ThrottlingErrors.Personalize,
        Interval = Duration.Seconds(5),
        BackoffRate = 2,
        MaxAttempts = 6,
        MaxDelay = Duration.Seconds(120),
        JitterStrategy = JitterType.FULL,
    };

    /// <summary>A catcher's {Error, Cause} plus the name of the state that failed, which $$ does not carry.</summary>
    public static Pass RecordError(Construct scope, string stateName, IChainable next)
    {
        var record = new Pass(scope, stateName + "Error", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = stateName,
                ["Error"] = JsonPath.StringAt("$.error.Error"),
                ["Cause"] = JsonPath.StringAt("$.error.Cause"),
            },
            ResultPath = "$.error",
        });
        record.Next(next);
        return record;
    }

    /// <summary>
    /// An SNS alert naming the execution, <paramref name="contextKey"/> (read from <paramref name="contextPath"/>) and the
    /// failed state, then a Fail with $.error's Error and Cause; if even the alert cannot be sent, the execution still
    /// fails (the status-change rule alerts too).
    /// </summary>
    public static IChainable NotifyThenFail(Construct scope, ITopic topic, string subject, string failStateId, string contextKey, string contextPath)
    {
        var notify = new SnsPublish(scope, "NotifyFailure", new SnsPublishProps
        {
            Topic = topic,
            Subject = subject,
            Message = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["stateMachine"] = JsonPath.StringAt("$$.StateMachine.Name"),
                ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                [contextKey] = JsonPath.StringAt(contextPath),
                ["failedState"] = JsonPath.StringAt("$.error.State"),
                ["error"] = JsonPath.StringAt("$.error"),
            }),
            ResultPath = JsonPath.DISCARD,
        });
        var fail = new Fail(scope, failStateId, new FailProps { ErrorPath = "$.error.Error", CausePath = "$.error.Cause" });
        notify.AddCatch(fail, new CatchProps { Errors = [Errors.ALL], ResultPath = JsonPath.DISCARD });
        return notify.Next(fail);
    }
}
