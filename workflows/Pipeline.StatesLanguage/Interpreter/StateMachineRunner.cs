using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// Starts executions of ASL definitions in process, like Step Functions' StartExecution. Task states go to the
/// handlers in <see cref="Tasks"/>; time comes from <see cref="StateMachineRunnerOptions.TimeProvider"/>.
/// </summary>
public sealed class StateMachineRunner(TaskInvokerRegistry tasks, StateMachineRunnerOptions? options = null)
{
    public TaskInvokerRegistry Tasks { get; } = tasks;

    public StateMachineRunnerOptions Options { get; } = options ?? new StateMachineRunnerOptions();

    /// <summary>Parses and validates the definition, then starts it; input defaults to {} as in AWS.</summary>
    public Execution StartExecution(string definitionJson, string? inputJson = null, string? name = null) =>
        StartExecution(StateMachineDefinition.Parse(definitionJson), inputJson is null ? new JsonObject() : JsonNode.Parse(inputJson), name);

    public Execution StartExecution(StateMachineDefinition definition, JsonNode? input, string? name = null)
    {
        var scope = new ExecutionScope(Options, Tasks, name ?? Guid.NewGuid().ToString(), JsonValues.Clone(input));
        var execution = new Execution(scope, definition.TimeoutSeconds);
        var startedId = scope.History.Add(0, "ExecutionStarted", "executionStartedEventDetails", new JsonObject
        {
            ["input"] = JsonValues.ToJson(input),
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
            ["roleArn"] = $"arn:aws:iam::{Options.AccountId}:role/StatesExecutionRole",
        });
        _ = Concurrency.Start(() => RunAsync(scope, execution, definition, startedId));
        return execution;
    }

    /// <summary>Starts an execution and waits until it has finished.</summary>
    public Task<Execution> RunAsync(string definitionJson, string? inputJson = null, string? name = null, CancellationToken cancellationToken = default) =>
        StartExecution(definitionJson, inputJson, name).WaitForCompletionAsync(cancellationToken);

    private static async Task<bool> RunAsync(ExecutionScope scope, Execution execution, StateMachineDefinition definition, long startedId)
    {
        var cursor = new BranchCursor(startedId);
        try
        {
            var output = await new BranchInterpreter(scope).RunAsync(definition, JsonValues.Clone(scope.Input), cursor, execution.Cancellation);
            execution.Succeed(cursor.LastEventId, output);
        }
        catch (OperationCanceledException) when (execution.Cancellation.IsCancellationRequested)
        {
            execution.Cancelled(cursor.LastEventId);
        }
        catch (StateFailedException failure)
        {
            execution.Fail(cursor.LastEventId, failure.Error, failure.Cause);
        }
        catch (Exception e)
        {
            // An interpreter bug must still end the execution, visibly, rather than leave it RUNNING.
            execution.Fail(cursor.LastEventId, StatesErrors.Runtime, $"{e.GetType().Name}: {e.Message}");
        }
        return true;
    }
}
