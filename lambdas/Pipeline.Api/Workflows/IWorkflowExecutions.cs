using System.Text.Json.Nodes;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The training and teardown state machines' executions, in Step Functions' own shapes (DescribeExecution's members,
/// GetExecutionHistory's events), so a Step Functions-backed implementation answers the same. The local stack
/// (`pipeline up`) provides one over its workflow runner; without one the workflow routes answer 501.
/// </summary>
public interface IWorkflowExecutions
{
    /// <summary>The state machines that can be started (training, teardown).</summary>
    IReadOnlyList<string> Workflows { get; }

    /// <summary>Executions newest first, running ones included: DescribeExecution's members plus <c>stateMachine</c>.</summary>
    Task<JsonArray> ListAsync(CancellationToken cancellationToken);

    /// <summary>One execution with its <c>history</c> (GetExecutionHistory's events, oldest first); null when unknown.</summary>
    Task<JsonObject?> DescribeAsync(string name, CancellationToken cancellationToken);

    /// <summary>StartExecution: <c>executionArn</c>, <c>name</c>, <c>startDate</c>. The workflow is one of <see cref="Workflows"/>.</summary>
    Task<JsonObject> StartAsync(string workflow, JsonObject input, CancellationToken cancellationToken);

    /// <summary>The nightly rule: <c>scheduleExpression</c>, <c>nextRun</c> (ISO 8601) and the <c>input</c> it sends.</summary>
    JsonObject Schedule();

    /// <summary>The most recent failure alerts (the SNS messages), newest first.</summary>
    Task<JsonArray> AlertsAsync(int max, CancellationToken cancellationToken);
}
