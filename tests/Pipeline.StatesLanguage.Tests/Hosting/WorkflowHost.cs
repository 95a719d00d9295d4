using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;

namespace Pipeline.StatesLanguage.Tests.Hosting;

/// <summary>
/// Runs executions deterministically in the manner of durabletask's test host: every continuation runs on the test
/// thread, and when nothing is left to run the fake clock jumps to the next pending timer. An hour-long Wait takes
/// no real time and its history timestamps are exact.
/// </summary>
public sealed class WorkflowHost
{
    private readonly QueueSynchronizationContext _context = new();

    public SteppingClock Clock { get; } = new();

    public TaskInvokerRegistry Tasks { get; } = new();

    public double WaitScale { get; init; } = 1.0;

    public string StateMachineName { get; init; } = "TestStateMachine";

    public StateMachineRunner Runner => new(Tasks, new StateMachineRunnerOptions
    {
        TimeProvider = Clock,
        WaitScale = WaitScale,
        StateMachineName = StateMachineName,
        RandomSeed = 7,
    });

    /// <summary>Starts an execution and runs it until it has finished.</summary>
    public Execution Run(string definition, string? input = null, string name = "test-execution") =>
        WaitForCompletion(Start(definition, input, name));

    /// <summary>Starts an execution and runs it until it waits on the clock (or finishes).</summary>
    public Execution Start(string definition, string? input = null, string name = "test-execution") =>
        OnContext(() =>
        {
            var execution = Runner.StartExecution(definition, input, name);
            _context.RunQueued();
            return execution;
        });

    public Execution Start(StateMachineDefinition definition, string? input = null, string name = "test-execution") =>
        OnContext(() =>
        {
            var execution = Runner.StartExecution(definition, input is null ? null : System.Text.Json.Nodes.JsonNode.Parse(input), name);
            _context.RunQueued();
            return execution;
        });

    /// <summary>Runs queued work and advances the clock timer by timer until the execution has finished.</summary>
    public Execution WaitForCompletion(Execution execution) => OnContext(() =>
    {
        while (true)
        {
            _context.RunQueued();
            if (execution.IsCompleted)
            {
                return execution;
            }
            var next = Clock.NextDueTime() ?? throw new InvalidOperationException(
                "The execution is blocked: no work is queued and no timer is pending. Last events: "
                + string.Join(", ", execution.History.TakeLast(5).Select(e => e.Type)));
            Clock.AdvanceTo(next);
        }
    });

    /// <summary>Runs queued work without moving the clock, e.g. after SendTaskSuccess or Stop.</summary>
    public void RunQueued() => OnContext(() =>
    {
        _context.RunQueued();
        return 0;
    });

    private T OnContext<T>(Func<T> action)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            return action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
