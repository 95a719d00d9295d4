using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Stores.Contracts;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

/// <summary>The SQLite stores on a temporary database file, for the shared store contracts.</summary>
public sealed class SqliteBackend : IStoreBackend
{
    private readonly TemporaryDatabase _db = new();

    public SqliteBackend() => Open(_db.Database);

    public SqliteDatabase Database => _db.Database;

    public IItemStore Items { get; private set; } = null!;
    public IUserStore Users { get; private set; } = null!;
    public IEventStore Events { get; private set; } = null!;
    public IExperimentStore Experiments { get; private set; } = null!;
    public IAssignmentStore Assignments { get; private set; } = null!;
    public IExposureStore Exposures { get; private set; } = null!;
    public IExperimentMetricsStore Metrics { get; private set; } = null!;

    public Task ReopenAsync()
    {
        Open(_db.Reopen());
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _db.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Open(SqliteDatabase database)
    {
        Items = new SqliteItemStore(database);
        Users = new SqliteUserStore(database);
        Events = new SqliteEventStore(database);
        Experiments = new SqliteExperimentStore(database);
        Assignments = new SqliteAssignmentStore(database);
        Exposures = new SqliteExposureStore(database);
        Metrics = new SqliteExperimentMetricsStore(database);
    }
}
