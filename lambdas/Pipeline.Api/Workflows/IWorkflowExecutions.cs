using System.Text.Json.Nodes;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The training and teardown state machines' executions, in Step Functions' own shapes (DescribeExecution's members,
/// GetExecutionHistory's events), dates as ISO 8601. The local stack (`pipeline up`) provides one over its workflow
/// runner, the API on AWS one over Step Functions (<see cref="StepFunctionsWorkflows"/>); without one the workflow
/// routes answer 501.
/// </summary>
public interface IWorkflowExecutions
{
    /// <summary>The state machines that can be started (training, teardown).</summary>
    IReadOnlyList<string> Workflows { get; }

    /// <summary>Executions newest first, running ones included: DescribeExecution's members plus <c>stateMachine</c>.</summary>
    Task<JsonArray> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One execution with its <c>history</c> (GetExecutionHistory's events, oldest first) and the <c>definition</c> it ran
    /// (DescribeStateMachineForExecution's ASL text); null when unknown.
    /// </summary>
    Task<JsonObject?> DescribeAsync(string name, CancellationToken cancellationToken);

    /// <summary>StartExecution: <c>executionArn</c>, <c>name</c>, <c>startDate</c>. The workflow is one of <see cref="Workflows"/>.</summary>
    Task<JsonObject> StartAsync(string workflow, JsonObject input, CancellationToken cancellationToken);

    /// <summary>The nightly rule: <c>scheduleExpression</c>, <c>nextRun</c> (ISO 8601) and the <c>input</c> it sends.</summary>
    JsonObject Schedule();

    /// <summary>The most recent failure alerts (the SNS messages), newest first.</summary>
    Task<JsonArray> AlertsAsync(int max, CancellationToken cancellationToken);

    /// <summary>Why <see cref="AlertsAsync"/> cannot list the alerts here, if it cannot.</summary>
    string? AlertsNote => null;
}
