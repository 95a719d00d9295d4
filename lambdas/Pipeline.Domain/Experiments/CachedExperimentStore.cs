using System.Collections.Concurrent;

namespace Pipeline.Domain.Experiments;

/// <summary>
/// Every request reads its experiment, so serving reads them through this cache: an experiment is read from the store
/// at most once per <paramref name="ttl"/> (per process), and what another writer changed (the training workflow pointing
/// a variant at a campaign, another Lambda instance stopping the experiment) is served within that time. Writes through
/// this store are seen at once. Listing always reads the store.
/// </summary>
public sealed class CachedExperimentStore(IExperimentStore store, TimeSpan ttl, TimeProvider time) : IExperimentStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        await store.UpsertAsync(experiment, cancellationToken);
        _entries[experiment.Key] = new Entry(experiment, time.GetTimestamp());
    }

    public async Task<bool> CreateAsync(Experiment experiment, CancellationToken cancellationToken = default) =>
        Remember(experiment, await store.CreateAsync(experiment, cancellationToken));

    public async Task<bool> ReplaceAsync(Experiment current, Experiment updated, CancellationToken cancellationToken = default) =>
        Remember(updated, await store.ReplaceAsync(current, updated, cancellationToken));

    // A refused write means the cached entry may be stale: the next read goes to the store.
    private bool Remember(Experiment written, bool succeeded)
    {
        if (succeeded)
        {
            _entries[written.Key] = new Entry(written, time.GetTimestamp());
        }
        else
        {
            _entries.TryRemove(written.Key, out _);
        }
        return succeeded;
    }

    public async Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var entry) && time.GetElapsedTime(entry.ReadAt) < ttl)
        {
            return entry.Experiment;
        }
        var readAt = time.GetTimestamp();
        var experiment = await store.GetAsync(key, cancellationToken);
        _entries[key] = new Entry(experiment, readAt);
        return experiment;
    }

    public Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);

    private sealed record Entry(Experiment? Experiment, long ReadAt);
}
