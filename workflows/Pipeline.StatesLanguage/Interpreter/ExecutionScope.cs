using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>What every state of one execution shares: identity, input, clock, history, task handlers and open task tokens.</summary>
internal sealed class ExecutionScope
{
    private readonly ConcurrentDictionary<string, TaskTokenWaiter> _taskTokens = new(StringComparer.Ordinal);

    public ExecutionScope(StateMachineRunnerOptions options, TaskInvokerRegistry tasks, string name, JsonNode? input)
    {
        Options = options;
        Tasks = tasks;
        Name = name;
        Input = input;
        Clock = new WorkflowClock(options.TimeProvider, options.WaitScale);
        History = new ExecutionHistory(options.TimeProvider);
        Random = new LockedRandom(options.RandomSeed);
        StartTime = Clock.Now;
        ExecutionArn = $"arn:aws:states:{options.Region}:{options.AccountId}:execution:{options.StateMachineName}:{name}";
    }

    public StateMachineRunnerOptions Options { get; }

    public TaskInvokerRegistry Tasks { get; }

    public string Name { get; }

    public string ExecutionArn { get; }

    public JsonNode? Input { get; }

    public DateTimeOffset StartTime { get; }

    public WorkflowClock Clock { get; }

    public ExecutionHistory History { get; }

    public Random Random { get; }

    public TaskTokenWaiter OpenTaskToken(string token, Action heartbeat) => _taskTokens[token] = new TaskTokenWaiter(heartbeat);

    public void CloseTaskToken(string token) => _taskTokens.TryRemove(token, out _);

    public TaskTokenWaiter FindTaskToken(string token) =>
        _taskTokens.TryGetValue(token, out var waiter)
            ? waiter
            : throw new InvalidOperationException($"The task token '{token}' is not open in execution {ExecutionArn} (TaskTimedOut or already completed).");
}

/// <summary>
/// A `.waitForTaskToken` task waiting for SendTaskSuccess / SendTaskFailure. The answer is delivered on the
/// execution's own synchronization context (or the thread pool), never inline on the caller's thread.
/// </summary>
internal sealed class TaskTokenWaiter(Action heartbeat)
{
    private readonly TaskCompletionSource<JsonNode?> _result = new();
    private readonly SynchronizationContext? _context = SynchronizationContext.Current;

    public Task<JsonNode?> Result => _result.Task;

    public void Succeed(JsonNode? output) => Deliver(() => _result.TrySetResult(output));

    public void Fail(string error, string? cause) => Deliver(() => _result.TrySetException(new StateFailedException(error, cause)));

    public void Heartbeat() => heartbeat();

    private void Deliver(Action complete)
    {
        if (_context is null)
        {
            ThreadPool.QueueUserWorkItem(_ => complete());
        }
        else
        {
            _context.Post(_ => complete(), null);
        }
    }
}

/// <summary>One seeded generator shared by concurrent branches (retry jitter, States.MathRandom).</summary>
internal sealed class LockedRandom(int? seed) : Random(seed ?? Random.Shared.Next())
{
    private readonly Lock _lock = new();

    public override int Next()
    {
        lock (_lock)
        {
            return base.Next();
        }
    }

    public override int Next(int minValue, int maxValue)
    {
        lock (_lock)
        {
            return base.Next(minValue, maxValue);
        }
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        lock (_lock)
        {
            return base.NextInt64(minValue, maxValue);
        }
    }

    public override double NextDouble()
    {
        lock (_lock)
        {
            return base.NextDouble();
        }
    }
}
