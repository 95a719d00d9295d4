using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Experiments;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbExperimentStoresTests(MotoServer moto) : ExperimentStoresContract
{
    protected override Task<IStoreBackend> CreateBackendAsync() => DynamoDbBackend.CreateAsync(moto);

    protected override bool ConditionalWritesAtomicUnderConcurrency => false;
}
