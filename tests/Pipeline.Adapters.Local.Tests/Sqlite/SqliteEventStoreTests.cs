using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Events;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteEventStoreTests : EventStoreContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());
}
