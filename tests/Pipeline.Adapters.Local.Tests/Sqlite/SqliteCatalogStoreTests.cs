using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Catalog;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteCatalogStoreTests : CatalogStoreContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());
}
