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
