using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Catalog;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbCatalogStoreTests(MotoServer moto) : CatalogStoreContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => DynamoDbBackend.CreateAsync(moto);
}
