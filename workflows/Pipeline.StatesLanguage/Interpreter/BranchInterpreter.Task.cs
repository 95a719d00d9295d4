using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.StatesLanguage.Interpreter;

internal sealed partial class BranchInterpreter
{
    private async Task<JsonNode?> RunTaskAttemptAsync(TaskState state, JsonNode? input, int retryCount, BranchCursor cursor, EnteredState entered, CancellationToken cancellationToken)
    {
        var token = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var context = Context(state, entered, retryCount, null, token);
        var parameters = state.Parameters is null ? input : DataFlow.EvaluateTemplate(state.Parameters, input, context, scope.Random);
        var resource = TaskResource.Parse(state.Resource);
        var timeoutSeconds = state.TimeoutSeconds ?? PositiveSecondsAt(state.TimeoutSecondsPath, input, context, "TimeoutSecondsPath");
        var heartbeatSeconds = state.HeartbeatSeconds ?? PositiveSecondsAt(state.HeartbeatSecondsPath, input, context, "HeartbeatSecondsPath");

        var scheduled = new JsonObject
        {
            ["resourceType"] = resource.ResourceType,
            ["resource"] = resource.ResourceName,
            ["region"] = scope.Options.Region,
            ["parameters"] = JsonValues.ToJson(parameters),
        };
        if (timeoutSeconds is not null)
        {
            scheduled["timeoutInSeconds"] = timeoutSeconds;
        }
        if (heartbeatSeconds is not null)
        {
            scheduled["heartbeatInSeconds"] = heartbeatSeconds;
        }
        Record(cursor, "TaskScheduled", "taskScheduledEventDetails", scheduled);

        if (!scope.Tasks.TryResolve(resource, out var invoker))
        {
            var failure = new StateFailedException(StatesErrors.TaskFailed,
                $"No task handler is registered for the resource '{state.Resource}'. Register one with TaskInvokerRegistry (AddAwsSdk, AddLambdaFunction, Register).");
            RecordTaskFailure(cursor, "TaskStartFailed", "taskStartFailedEventDetails", resource, failure);
            throw failure;
        }
        Record(cursor, "TaskStarted", "taskStartedEventDetails", ResourceDetails(resource));

        using var timeout = timeoutSeconds is null ? null : scope.Clock.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds.Value));
        using var heartbeat = heartbeatSeconds is null ? null : scope.Clock.CancelAfter(TimeSpan.FromSeconds(heartbeatSeconds.Value));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout?.Token ?? default, heartbeat?.Token ?? default);
        void SendHeartbeat() => heartbeat?.CancelAfter(scope.Clock.Scale(TimeSpan.FromSeconds(heartbeatSeconds!.Value)));
        var invocation = new TaskInvocation
        {
            Resource = resource,
            Parameters = JsonValues.Clone(parameters),
            StateName = state.Name,
            ExecutionArn = scope.ExecutionArn,
            RetryCount = retryCount,
            TaskToken = token,
            SendHeartbeat = SendHeartbeat,
        };
        var waiter = resource.WaitsForTaskToken ? scope.OpenTaskToken(token, SendHeartbeat) : null;
        try
        {
            var result = await invoker.InvokeAsync(invocation, linked.Token).WaitAsync(linked.Token);
            if (waiter is not null)
            {
                result = await waiter.Result.WaitAsync(linked.Token);
            }
            var succeeded = ResourceDetails(resource);
            succeeded["output"] = JsonValues.ToJson(result);
            succeeded["outputDetails"] = new JsonObject { ["truncated"] = false };
            Record(cursor, "TaskSucceeded", "taskSucceededEventDetails", succeeded);
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && (timeout?.IsCancellationRequested == true || heartbeat?.IsCancellationRequested == true))
        {
            var failure = timeout?.IsCancellationRequested == true
                ? new StateFailedException(StatesErrors.Timeout, $"The task did not complete within TimeoutSeconds ({timeoutSeconds} s).")
                : new StateFailedException(StatesErrors.HeartbeatTimeout, $"The task sent no heartbeat within HeartbeatSeconds ({heartbeatSeconds} s).");
            RecordTaskFailure(cursor, "TaskTimedOut", "taskTimedOutEventDetails", resource, failure);
            throw failure;
        }
        catch (StateFailedException failure)
        {
            RecordTaskFailure(cursor, "TaskFailed", "taskFailedEventDetails", resource, failure);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failure = new StateFailedException(StatesErrors.TaskFailed, $"{e.GetType().Name}: {e.Message}");
            RecordTaskFailure(cursor, "TaskFailed", "taskFailedEventDetails", resource, failure);
            throw failure;
        }
        finally
        {
            if (waiter is not null)
            {
                scope.CloseTaskToken(token);
            }
        }
    }

    private void RecordTaskFailure(BranchCursor cursor, string type, string detailsName, TaskResource resource, StateFailedException failure)
    {
        var details = ResourceDetails(resource);
        details["error"] = failure.Error;
        if (failure.Cause is not null)
        {
            details["cause"] = failure.Cause;
        }
        Record(cursor, type, detailsName, details);
    }

    private static JsonObject ResourceDetails(TaskResource resource) => new()
    {
        ["resourceType"] = resource.ResourceType,
        ["resource"] = resource.ResourceName,
    };

    private static int? PositiveSecondsAt(string? path, JsonNode? input, JsonNode context, string field)
    {
        if (path is null)
        {
            return null;
        }
        var value = DataFlow.SelectPath(path, input, context, field);
        return JsonValues.TryGetInteger(value, out var seconds) && seconds > 0 && seconds <= int.MaxValue
            ? (int)seconds
            : throw new StateFailedException(StatesErrors.Runtime,
                string.Create(CultureInfo.InvariantCulture, $"The {field} '{path}' must select a positive integer, not {JsonValues.ToJson(value)}."));
    }
}
