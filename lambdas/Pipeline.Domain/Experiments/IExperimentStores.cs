namespace Pipeline.Domain.Experiments;

public interface IExperimentStore
{
    /// <summary>Writes the experiment whatever is stored (seeding, the training workflow's own writes).</summary>
    Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>Writes the experiment only if its key is new, atomically; false when the key exists (nothing written).</summary>
    Task<bool> CreateAsync(Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="updated"/> only if what is stored is still <paramref name="current"/> (as read), atomically;
    /// false when another writer changed or removed it in between (nothing written). Lifecycle transitions and phase
    /// changes go through this, so two concurrent requests cannot both act on the same state.
    /// </summary>
    Task<bool> ReplaceAsync(Experiment current, Experiment updated, CancellationToken cancellationToken = default);

    Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default);
}

public interface IAssignmentStore
{
    Task<Assignment?> GetAsync(string experimentKey, string userId, CancellationToken cancellationToken = default);

    /// <summary>Keeps the first assignment of a user; returns the one that is stored after the call.</summary>
    Task<Assignment> GetOrAddAsync(Assignment assignment, CancellationToken cancellationToken = default);
}

public interface IExposureStore
{
    Task AppendAsync(Exposure exposure, CancellationToken cancellationToken = default);
    Task<Exposure?> GetAsync(string recommendationId, CancellationToken cancellationToken = default);
}
