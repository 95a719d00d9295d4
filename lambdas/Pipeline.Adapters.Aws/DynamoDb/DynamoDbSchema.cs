using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Creates the tables of <see cref="TableSchemas"/> (the key schemas infra's DataStack creates in AWS, with the attribute
/// names of <see cref="DynamoDbAttributes"/>) where nothing else does: moto_server in tests, DynamoDB Local.
/// </summary>
public static class DynamoDbSchema
{
    public static Task CreateTablesAsync(IAmazonDynamoDB client, DynamoDbTables tables, CancellationToken cancellationToken = default) =>
        Task.WhenAll(tables.WithSchemas().Select(t => CreateAsync(client, t.Name, t.Schema, cancellationToken)));

    private static async Task CreateAsync(IAmazonDynamoDB client, string? table, TableSchema schema, CancellationToken cancellationToken)
    {
        if (table is null)
        {
            return;
        }
        var attributes = new List<AttributeDefinition> { new(schema.PartitionKey, ScalarAttributeType.S) };
        var keys = new List<KeySchemaElement> { new(schema.PartitionKey, KeyType.HASH) };
        if (schema.SortKey is { } sortKey)
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
        if (schema.Index is { } gsi)
        {
            // String keys, every attribute projected, as in DataStack.
            request.AttributeDefinitions.Add(new(gsi.PartitionKey, ScalarAttributeType.S));
            request.AttributeDefinitions.Add(new(gsi.SortKey, ScalarAttributeType.S));
            request.GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = gsi.Name,
                    KeySchema = [new(gsi.PartitionKey, KeyType.HASH), new(gsi.SortKey, KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ];
        }
        await client.CreateTableAsync(request, cancellationToken);
        if (schema.TimeToLive)
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = table,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = DynamoDbAttributes.ExpiresAt, Enabled = true },
            }, cancellationToken);
        }
    }
}
