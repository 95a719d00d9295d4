using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>
/// Runs a Task state's resource. Return the raw result (before ResultSelector/ResultPath); throw
/// <see cref="TaskFailedException"/> to fail with an error name; any other exception fails with States.TaskFailed.
/// </summary>
public interface ITaskInvoker
{
    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>An <see cref="ITaskInvoker"/> made of a delegate.</summary>
public sealed class DelegateTaskInvoker(Func<TaskInvocation, CancellationToken, Task<JsonNode?>> handler) : ITaskInvoker
{
    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken) => handler(invocation, cancellationToken);
}
