namespace Pipeline.Api.Filters;

/// <summary>
/// How many filtered requests of the whole process may do a large round of filter work (scoring and looking up more
/// than <see cref="FilterBudget.FreeRoundCandidates"/> candidates) at the same time. A filter that keeps (almost)
/// nothing escalates to thousands of candidates per request; without a process-wide bound, a few such connections
/// take every core for their whole budget and starve unfiltered traffic. A request waits for a slot (waiting costs no
/// CPU) at most until its budget's time is up, then answers what it has.
/// </summary>
public sealed class FilterEscalationSlots(int capacity) : IDisposable
{
    /// <summary>Half the cores, at least one: the other half stays for everything else.</summary>
    public static int DefaultCapacity => Math.Max(1, Environment.ProcessorCount / 2);

    private readonly SemaphoreSlim _free = new(capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "at least one slot"));

    public int Capacity { get; } = capacity;

    /// <summary>Takes a slot at once, or answers null; disposing the lease frees it.</summary>
    public Lease? TryEnter() => _free.Wait(0) ? new Lease(_free) : null;

    /// <summary>Takes a slot, waiting at most <paramref name="wait"/> (on <paramref name="time"/>'s clock); null when none came free.</summary>
    public async ValueTask<Lease?> EnterAsync(TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        if (TryEnter() is { } now)
        {
            return now;
        }
        if (wait <= TimeSpan.Zero)
        {
            return null;
        }
        using var timeout = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _free.WaitAsync(linked.Token);
            return new Lease(_free);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _free.Dispose();

    public sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
