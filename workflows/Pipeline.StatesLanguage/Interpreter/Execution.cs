using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// One running or finished execution, like DescribeExecution plus GetExecutionHistory: status, output or error and
/// cause, and the event history. <see cref="Stop"/> aborts it as StopExecution does.
/// </summary>
public sealed class Execution
{
    private readonly ExecutionScope _scope;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource<Execution> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private (string? Error, string? Cause) _stopReason;

    internal Execution(ExecutionScope scope, int? timeoutSeconds)
    {
        _scope = scope;
        _timeout = timeoutSeconds is null ? null : scope.Clock.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds.Value));
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _timeout?.Token ?? default);
    }

    public string ExecutionArn => _scope.ExecutionArn;

    public string Name => _scope.Name;

    public string StateMachineArn => _scope.Options.StateMachineArn;

    public JsonNode? Input => JsonValues.Clone(_scope.Input);

    public DateTimeOffset StartDate => _scope.StartTime;

    public DateTimeOffset? StopDate { get; private set; }

    public ExecutionStatus Status { get; private set; } = ExecutionStatus.Running;

    public bool IsCompleted => Status != ExecutionStatus.Running;

    public JsonNode? Output { get; private set; }

    public string? Error { get; private set; }

    public string? Cause { get; private set; }

    public IReadOnlyList<HistoryEvent> History => _scope.History.Snapshot();

    internal CancellationToken Cancellation => _cancellation.Token;

    internal bool TimedOut => _timeout?.IsCancellationRequested == true && !_stop.IsCancellationRequested;

    public Task<Execution> WaitForCompletionAsync(CancellationToken cancellationToken = default) => _completion.Task.WaitAsync(cancellationToken);

    /// <summary>GetExecutionHistory's response body: {"events": [...]}, oldest first.</summary>
    public JsonObject GetExecutionHistory() => new()
    {
        ["events"] = new JsonArray(History.Select(e => (JsonNode)e.ToJson()).ToArray()),
    };

    /// <summary>Aborts a running execution (StopExecution); the status becomes ABORTED. Does nothing once it has finished.</summary>
    public void Stop(string? error = null, string? cause = null)
    {
        lock (_lock)
        {
            if (IsCompleted || _stop.IsCancellationRequested)
            {
                return;
            }
            _stopReason = (error, cause);
        }
        _stop.Cancel();
    }

    /// <summary>SendTaskSuccess: completes the `.waitForTaskToken` task holding this token.</summary>
    public void SendTaskSuccess(string taskToken, JsonNode? output) => _scope.FindTaskToken(taskToken).Succeed(JsonValues.Clone(output));

    /// <summary>SendTaskFailure: fails the `.waitForTaskToken` task holding this token with the given error.</summary>
    public void SendTaskFailure(string taskToken, string error, string? cause = null) => _scope.FindTaskToken(taskToken).Fail(error, cause);

    public void SendTaskHeartbeat(string taskToken) => _scope.FindTaskToken(taskToken).Heartbeat();

    internal void Succeed(long previousEventId, JsonNode? output) =>
        Finish(ExecutionStatus.Succeeded, output, null, null, previousEventId, "ExecutionSucceeded", "executionSucceededEventDetails", new JsonObject
        {
            ["output"] = JsonValues.ToJson(output),
            ["outputDetails"] = new JsonObject { ["truncated"] = false },
        });

    internal void Fail(long previousEventId, string error, string? cause) =>
        Finish(ExecutionStatus.Failed, null, error, cause, previousEventId, "ExecutionFailed", "executionFailedEventDetails", ErrorDetails(error, cause));

    internal void Cancelled(long previousEventId)
    {
        if (TimedOut)
        {
            var cause = $"The execution ran longer than its TimeoutSeconds ({_scope.Clock.Time.GetUtcNow() - StartDate:g}).";
            Finish(ExecutionStatus.TimedOut, null, StatesErrors.Timeout, cause, previousEventId, "ExecutionTimedOut", "executionTimedOutEventDetails", ErrorDetails(StatesErrors.Timeout, cause));
        }
        else
        {
            var (error, cause) = _stopReason;
            Finish(ExecutionStatus.Aborted, null, error, cause, previousEventId, "ExecutionAborted", "executionAbortedEventDetails", ErrorDetails(error, cause));
        }
    }

    private void Finish(ExecutionStatus status, JsonNode? output, string? error, string? cause, long previousEventId, string eventType, string detailsName, JsonObject details)
    {
        lock (_lock)
        {
            _scope.History.Add(previousEventId, eventType, detailsName, details);
            Output = output;
            Error = error;
            Cause = cause;
            StopDate = _scope.Clock.Now;
            Status = status;
        }
        // Release the timeout timer so a fake clock has nothing left pending for this execution.
        _timeout?.Dispose();
        _completion.TrySetResult(this);
    }

    private static JsonObject ErrorDetails(string? error, string? cause)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(error))
        {
            details["error"] = error;
        }
        if (cause is not null)
        {
            details["cause"] = cause;
        }
        return details;
    }
}
