namespace Pipeline.Domain.Experiments;

public interface IExperimentStore
{
    Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default);
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
