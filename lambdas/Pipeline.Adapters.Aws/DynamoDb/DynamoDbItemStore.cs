using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Catalog;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>Items keyed by itemId; an upsert replaces the whole item, so cleared metadata disappears.</summary>
public sealed class DynamoDbItemStore(IAmazonDynamoDB client, DynamoDbTables tables) : IItemStore
{
    private const string Category = "category";
    private const string Price = "price";
    private const string CreatedAt = "createdAt";

    private readonly string _table = DynamoDbTables.Required(tables.Items, TableSchemas.Items);

    public Task UpsertAsync(IReadOnlyCollection<Item> items, CancellationToken cancellationToken = default) =>
        DynamoDbBatches.PutAllAsync(client, _table, items.Select(i => (i.ItemId, ToAttributes(i))), cancellationToken);

    public async Task<Item?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.ItemId] = S(itemId) },
        }, cancellationToken);
        return response.Item is { Count: > 0 } item
            ? new Item(GetString(item, DynamoDbAttributes.ItemId), GetStringOrNull(item, Category), GetDoubleOrNull(item, Price), GetTimeOrNull(item, CreatedAt))
            : null;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        DynamoDbBatches.CountAsync(client, _table, cancellationToken);

    private static Dictionary<string, AttributeValue> ToAttributes(Item item)
    {
        var attributes = new Dictionary<string, AttributeValue> { [DynamoDbAttributes.ItemId] = S(item.ItemId) };
        SetIfNotNull(attributes, Category, item.Category);
        SetIfNotNull(attributes, Price, item.Price);
        if (item.CreatedAt is { } created)
        {
            attributes[CreatedAt] = Time(created);
        }
        return attributes;
    }
}
