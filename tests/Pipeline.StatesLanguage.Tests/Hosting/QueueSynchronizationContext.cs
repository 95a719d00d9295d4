using System.Collections.Concurrent;

namespace Pipeline.StatesLanguage.Tests.Hosting;

/// <summary>Runs every continuation on the test's thread, in order, when the host pumps: executions become deterministic.</summary>
internal sealed class QueueSynchronizationContext : SynchronizationContext
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _queue = new();

    public override void Post(SendOrPostCallback d, object? state) => _queue.Enqueue((d, state));

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    public void RunQueued()
    {
        while (_queue.TryDequeue(out var work))
        {
            work.Callback(work.State);
        }
    }
}
