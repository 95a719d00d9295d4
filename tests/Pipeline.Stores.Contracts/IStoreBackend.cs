using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Stores.Contracts;

/// <summary>One backend's stores on fresh, empty data that belongs to one test alone.</summary>
public interface IStoreBackend : IAsyncDisposable
{
    IItemStore Items { get; }
    IUserStore Users { get; }
    IEventStore Events { get; }
    IExperimentStore Experiments { get; }
    IAssignmentStore Assignments { get; }
    IExposureStore Exposures { get; }
    IExperimentMetricsStore Metrics { get; }

    /// <summary>Drops the stores and their connections and opens new ones on the same data, as a restarted process would.</summary>
    Task ReopenAsync();
}
