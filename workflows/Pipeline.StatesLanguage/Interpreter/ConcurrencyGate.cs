namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// An async semaphore for Map's MaxConcurrency. Unlike SemaphoreSlim's cancellable wait, it never hops to the
/// thread pool: a released waiter continues on its own synchronization context, which keeps test runs deterministic.
/// </summary>
internal sealed class ConcurrencyGate(int limit)
{
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly Lock _lock = new();
    private int _available = limit;

    public Task EnterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_available > 0)
            {
                _available--;
                return Task.CompletedTask;
            }
            var waiter = new TaskCompletionSource();
            _waiting.Enqueue(waiter);
            cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            return waiter.Task;
        }
    }

    public void Leave()
    {
        while (true)
        {
            TaskCompletionSource? next;
            lock (_lock)
            {
                if (!_waiting.TryDequeue(out next))
                {
                    _available++;
                    return;
                }
            }
            // Completed outside the lock; a waiter already cancelled gives its turn to the next one.
            if (next.TrySetResult())
            {
                return;
            }
        }
    }
}
