using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Events;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbEventStoreTests(MotoServer moto) : EventStoreContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => DynamoDbBackend.CreateAsync(moto);
}
