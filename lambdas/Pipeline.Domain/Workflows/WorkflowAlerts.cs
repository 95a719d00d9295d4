namespace Pipeline.Domain.Workflows;

/// <summary>
/// Which ends of a Step Functions execution are alerts. The one list both the deployed EventBridge rule
/// (Pipeline.Workflows' ExecutionFailureAlerts, its event pattern's <c>detail.status</c>) and the console's
/// "recent alerts" on AWS (the API's ListExecutions with <c>statusFilter</c>) are built from.
/// </summary>
public static class WorkflowAlerts
{
    /// <summary>DescribeExecution's statuses the failure rule fires on: FAILED, TIMED_OUT, ABORTED.</summary>
    public static IReadOnlyList<string> FailedStatuses { get; } = ["FAILED", "TIMED_OUT", "ABORTED"];
}
