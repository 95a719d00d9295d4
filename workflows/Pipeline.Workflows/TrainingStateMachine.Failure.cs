using Amazon.CDK.AWS.StepFunctions;

namespace Pipeline.Workflows;

/// <summary>
/// Failure paths: a failed state records {State, Error, Cause} under <c>$.error</c>; the run then publishes
/// {stateMachine, execution, input, failedState, error} to the alert topic and fails (NotifyFailure/TrainingFailed).
/// </summary>
public sealed partial class TrainingStateMachine
{
    // $$.Execution.Input rather than input fields: the alert must go out even when the input is malformed.
    private IChainable NotifyAndFail() =>
        FailureStates.NotifyThenFail(this, _props.AlertTopic, "Pipeline training failed", "TrainingFailed", "input", "$$.Execution.Input");

    private Pass RecordError(string stateName, IChainable next) => FailureStates.RecordError(this, stateName, next);

    /// <summary>
    /// Retries the service's throttling (Personalize's unless <paramref name="throttling"/> names another service's) with
    /// full-jitter exponential backoff; any other error is recorded and goes to onFailure.
    /// </summary>
    private T Guard<T>(T task, IChainable onFailure, string[]? throttling = null) where T : TaskStateBase
    {
        task.AddRetry(FailureStates.ThrottlingRetry(throttling));
        task.AddCatch(RecordError(task.Id, onFailure), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        return task;
    }
}
