using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Attribute names and key schema of the tables, the contract with infra's DataStack (which creates them in AWS).
/// <see cref="CreateTablesAsync"/> creates the same tables where nothing else does: moto_server in tests, DynamoDB Local.
/// </summary>
public static class DynamoDbSchema
{
    /// <summary>TTL attribute (epoch seconds), as DataStack.TtlAttribute.</summary>
    public const string ExpiresAt = "expiresAt";

    public const string ExperimentKey = "experimentKey";
    public const string UserId = "userId";
    public const string ItemId = "itemId";
    public const string EventId = "eventId";
    public const string RecommendationId = "recommendationId";
    public const string Timestamp = "timestamp";

    /// <summary>Generic string keys of the Aggregates table (DataStack: "pk" + "sk"), which holds several kinds of item.</summary>
    public const string PartitionKey = "pk";
    public const string SortKey = "sk";

    public const string EventsByUserIndex = "byUser";
    public const string ExposuresByExperimentIndex = "byExperiment";

    public static Task CreateTablesAsync(IAmazonDynamoDB client, DynamoDbTables tables, CancellationToken cancellationToken = default) =>
        Task.WhenAll(
            CreateAsync(client, tables.Experiments, ExperimentKey, null, null, ttl: false, cancellationToken),
            CreateAsync(client, tables.Assignments, ExperimentKey, UserId, null, ttl: true, cancellationToken),
            CreateAsync(client, tables.Exposures, RecommendationId, null, (ExposuresByExperimentIndex, ExperimentKey), ttl: true, cancellationToken),
            CreateAsync(client, tables.Items, ItemId, null, null, ttl: false, cancellationToken),
            CreateAsync(client, tables.Users, UserId, null, null, ttl: false, cancellationToken),
            CreateAsync(client, tables.Events, EventId, null, (EventsByUserIndex, UserId), ttl: true, cancellationToken),
            CreateAsync(client, tables.Aggregates, PartitionKey, SortKey, null, ttl: true, cancellationToken));

    private static async Task CreateAsync(
        IAmazonDynamoDB client, string? table, string partitionKey, string? sortKey, (string Name, string PartitionKey)? index,
        bool ttl, CancellationToken cancellationToken)
    {
        if (table is null)
        {
            return;
        }
        var attributes = new List<AttributeDefinition> { new(partitionKey, ScalarAttributeType.S) };
        var keys = new List<KeySchemaElement> { new(partitionKey, KeyType.HASH) };
        if (sortKey is not null)
        {
            attributes.Add(new(sortKey, ScalarAttributeType.S));
            keys.Add(new(sortKey, KeyType.RANGE));
        }
        var request = new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = attributes,
            KeySchema = keys,
            BillingMode = BillingMode.PAY_PER_REQUEST,
        };
        if (index is { } gsi)
        {
            // Both GSIs are (something, timestamp) with timestamp a string, as in DataStack.
            request.AttributeDefinitions.Add(new(gsi.PartitionKey, ScalarAttributeType.S));
            request.AttributeDefinitions.Add(new(Timestamp, ScalarAttributeType.S));
            request.GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = gsi.Name,
                    KeySchema = [new(gsi.PartitionKey, KeyType.HASH), new(Timestamp, KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ];
        }
        await client.CreateTableAsync(request, cancellationToken);
        if (ttl)
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
            }, cancellationToken);
        }
    }
}
