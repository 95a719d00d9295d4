using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>What a task handler receives: the parsed resource, the effective Parameters, and the task's context.</summary>
public sealed class TaskInvocation
{
    public required TaskResource Resource { get; init; }

    /// <summary>The state's effective parameters: its input after InputPath and Parameters.</summary>
    public required JsonNode? Parameters { get; init; }

    public required string StateName { get; init; }

    public required string ExecutionArn { get; init; }

    /// <summary>Zero on the first attempt; the Retry count on later ones (as `$$.State.RetryCount`).</summary>
    public int RetryCount { get; init; }

    /// <summary>The task token (`$$.Task.Token`); a `.waitForTaskToken` task waits until it is sent back to the execution.</summary>
    public required string TaskToken { get; init; }

    /// <summary>Tells the interpreter the task is alive, restarting its HeartbeatSeconds clock.</summary>
    public required Action SendHeartbeat { get; init; }

    public string Service => Resource.Service;

    public string Action => Resource.Action;
}
