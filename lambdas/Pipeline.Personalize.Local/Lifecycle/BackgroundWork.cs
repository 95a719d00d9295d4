namespace Pipeline.Personalize.Local.Lifecycle;

/// <summary>
/// Runs the work behind a resource's statuses. In <see cref="LifecycleMode.Immediate"/> the work runs inside the
/// calling operation; in <see cref="LifecycleMode.Realistic"/> it runs in the background and each status step waits
/// <see cref="LocalPersonalizeOptions.StepDelay"/>, so callers see CREATE PENDING, then CREATE IN_PROGRESS, then ACTIVE.
/// </summary>
public sealed class BackgroundWork(LifecycleMode mode, TimeSpan stepDelay) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private readonly object _gate = new();

    public LifecycleMode Mode { get; } = mode;

    /// <summary>Starts a job; the returned task is the job itself when immediate, an already finished task otherwise.</summary>
    public Task Start(Func<CancellationToken, Task> job)
    {
        var task = Mode == LifecycleMode.Immediate ? job(_stopping.Token) : Task.Run(() => job(_stopping.Token));
        // Tracked in both modes: work resumed at start-up is not awaited by any caller.
        lock (_gate)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
        return Mode == LifecycleMode.Immediate ? task : Task.CompletedTask;
    }

    /// <summary>The pause between two statuses.</summary>
    public Task Step(CancellationToken cancellationToken) =>
        Mode == LifecycleMode.Immediate || stepDelay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(stepDelay, cancellationToken);

    /// <summary>Waits until no job is running (tests use it to reach a settled state without polling).</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_gate) running = [.. _running.Where(t => !t.IsCompleted)];
            if (running.Length == 0) return;
            await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await WhenIdleAsync();
        _stopping.Dispose();
    }
}
