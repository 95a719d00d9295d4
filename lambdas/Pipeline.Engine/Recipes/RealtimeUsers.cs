using System.Collections.Concurrent;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// The users whose real-time events a model keeps, at most <see cref="MaxUsers"/> of them (an approximate LRU in two
/// generations): writes go to the current generation; when it holds half the bound it becomes the previous one and the
/// previous one is dropped. A user read or written since the last rotation stays; one untouched for a whole generation
/// (at least <c>MaxUsers / 2</c> other users since) is forgotten, and the model then serves them from their trained
/// history, or as a cold-start user when training did not know them, until their next event. Reads take no lock; a
/// full LRU would need one on every request to move the user to the front.
/// </summary>
internal sealed class RealtimeUsers
{
    /// <summary>
    /// The bound when the host sets none: about 35 MB at the measured ~350 bytes of a user with one event (README,
    /// Security), at most ~400 MB if every kept user had the longest history (500 items, 8 bytes each).
    /// </summary>
    public const int DefaultMaxUsers = 100_000;

    private readonly Lock _rotating = new();
    private volatile Generations _generations;
    private volatile int _maxUsers;
    private int _currentCount;

    public RealtimeUsers(int maxUsers, int expectedUsers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUsers, 2);
        _maxUsers = maxUsers;
        _generations = new Generations(New(Math.Min(expectedUsers, maxUsers / 2)), New(0));
    }

    public int MaxUsers
    {
        get => _maxUsers;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2);
            _maxUsers = value;
        }
    }

    /// <summary>How many users are held now (both generations; a user in both counts twice).</summary>
    public int Count
    {
        get
        {
            var generations = _generations;
            return generations.Current.Count + generations.Previous.Count;
        }
    }

    /// <summary>The user's state; one found only in the previous generation is carried into the current one (it was used).</summary>
    public bool TryGet(string userId, out UserHistory history)
    {
        var generations = _generations;
        if (generations.Current.TryGetValue(userId, out history!)) return true;
        if (!generations.Previous.TryGetValue(userId, out history!)) return false;
        // Only if no newer state was written meanwhile: TryAdd never replaces.
        if (generations.Current.TryAdd(userId, history)) Added(generations);
        return true;
    }

    /// <summary>Replaces the user's state; callers serialise writes per user.</summary>
    public void Set(string userId, UserHistory history)
    {
        var generations = _generations;
        if (generations.Current.TryAdd(userId, history))
        {
            Added(generations);
            return;
        }
        generations.Current[userId] = history;
    }

    /// <summary>Replaces the state only if it still is <paramref name="expected"/> (a fold-in racing an event loses).</summary>
    public void TryReplace(string userId, UserHistory updated, UserHistory expected) =>
        _generations.Current.TryUpdate(userId, updated, expected);

    private void Added(Generations generations)
    {
        if (Interlocked.Increment(ref _currentCount) < _maxUsers / 2) return;
        lock (_rotating)
        {
            if (!ReferenceEquals(_generations, generations)) return;
            _generations = new Generations(New(0), generations.Current);
            Interlocked.Exchange(ref _currentCount, 0);
        }
    }

    private static ConcurrentDictionary<string, UserHistory> New(int capacity) =>
        new(Environment.ProcessorCount, Math.Max(capacity, 31), StringComparer.Ordinal);

    private sealed record Generations(ConcurrentDictionary<string, UserHistory> Current, ConcurrentDictionary<string, UserHistory> Previous);
}
