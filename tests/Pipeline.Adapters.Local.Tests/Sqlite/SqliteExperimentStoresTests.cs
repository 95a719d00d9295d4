using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Experiments;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteExperimentStoresTests : ExperimentStoresContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());
}
