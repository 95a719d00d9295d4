namespace Pipeline.Api.Filters;

/// <summary>
/// How many filtered requests of the whole process may over-fetch past their first round at the same time. A filter
/// that keeps (almost) nothing escalates to thousands of candidates per request; without a process-wide bound, a few
/// such connections take every core for their whole budget and starve unfiltered traffic. A request that finds no
/// slot free stops where it is (its budget counts as spent), it does not wait.
/// </summary>
public sealed class FilterEscalationSlots(int capacity)
{
    /// <summary>Half the cores, at least one: the other half stays for everything else.</summary>
    public static int DefaultCapacity => Math.Max(1, Environment.ProcessorCount / 2);

    private int _free = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "at least one slot");

    public int Capacity { get; } = capacity;

    /// <summary>Takes a slot, or answers null at once when none is free; disposing the lease frees it.</summary>
    public Lease? TryEnter()
    {
        for (var free = Volatile.Read(ref _free); free > 0; free = Volatile.Read(ref _free))
        {
            if (Interlocked.CompareExchange(ref _free, free - 1, free) == free)
            {
                return new Lease(this);
            }
        }
        return null;
    }

    public sealed class Lease(FilterEscalationSlots slots) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Increment(ref slots._free);
            }
        }
    }
}
