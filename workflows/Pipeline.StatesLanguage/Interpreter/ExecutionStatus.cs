namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>DescribeExecution's status; <see cref="ExecutionStatusNames.ToAwsName"/> gives AWS's spelling (RUNNING, TIMED_OUT, ...).</summary>
public enum ExecutionStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

public static class ExecutionStatusNames
{
    public static string ToAwsName(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Aborted => "ABORTED",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
