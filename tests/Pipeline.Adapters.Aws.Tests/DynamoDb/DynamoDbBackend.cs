using Amazon.DynamoDBv2;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Stores.Contracts;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

/// <summary>
/// The DynamoDB stores on tables of their own in moto_server (a unique name prefix per test), created with the
/// key schema, GSIs and TTL of infra's DataStack.
/// </summary>
public sealed class DynamoDbBackend : IStoreBackend
{
    private readonly MotoServer _moto;
    private readonly DynamoDbTables _tables;
    private IAmazonDynamoDB _client;

    private DynamoDbBackend(MotoServer moto, DynamoDbTables tables)
    {
        _moto = moto;
        _tables = tables;
        _client = moto.DynamoDb();
        Open();
    }

    public IItemStore Items { get; private set; } = null!;
    public IUserStore Users { get; private set; } = null!;
    public IEventStore Events { get; private set; } = null!;
    public IExperimentStore Experiments { get; private set; } = null!;
    public IAssignmentStore Assignments { get; private set; } = null!;
    public IExposureStore Exposures { get; private set; } = null!;
    public IExperimentMetricsStore Metrics { get; private set; } = null!;

    /// <summary>The aggregates table, for tests that write items as an older build did.</summary>
    public string AggregatesTable => _tables.Aggregates!;

    public static async Task<IStoreBackend> CreateAsync(MotoServer moto)
    {
        var prefix = $"t{Guid.NewGuid():N}"[..12];
        var tables = new DynamoDbTables
        {
            Experiments = $"{prefix}-Experiments",
            Assignments = $"{prefix}-Assignments",
            Exposures = $"{prefix}-Exposures",
            Items = $"{prefix}-Items",
            Users = $"{prefix}-Users",
            Events = $"{prefix}-Events",
            Aggregates = $"{prefix}-Aggregates",
        };
        using (var client = moto.DynamoDb())
        {
            await DynamoDbSchema.CreateTablesAsync(client, tables);
        }
        return new DynamoDbBackend(moto, tables);
    }

    public Task ReopenAsync()
    {
        _client.Dispose();
        _client = _moto.DynamoDb();
        Open();
        return Task.CompletedTask;
    }

    /// <summary>The tables are left to die with moto_server: deleting them costs more than the memory they hold.</summary>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Open()
    {
        Items = new DynamoDbItemStore(_client, _tables);
        Users = new DynamoDbUserStore(_client, _tables);
        Events = new DynamoDbEventStore(_client, _tables, TimeProvider.System);
        Experiments = new DynamoDbExperimentStore(_client, _tables);
        Assignments = new DynamoDbAssignmentStore(_client, _tables, TimeProvider.System);
        Exposures = new DynamoDbExposureStore(_client, _tables, TimeProvider.System);
        Metrics = new DynamoDbExperimentMetricsStore(_client, _tables, TimeProvider.System);
    }
}
