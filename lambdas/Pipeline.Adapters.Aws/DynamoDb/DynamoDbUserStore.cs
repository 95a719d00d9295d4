using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Catalog;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>Users keyed by userId, their free-form metadata in one map attribute.</summary>
public sealed class DynamoDbUserStore(IAmazonDynamoDB client, DynamoDbTables tables) : IUserStore
{
    private const string Attributes = "attributes";

    private readonly string _table = DynamoDbTables.Required(tables.Users, TableSchemas.Users);

    public Task UpsertAsync(IReadOnlyCollection<User> users, CancellationToken cancellationToken = default) =>
        DynamoDbBatches.PutAllAsync(client, _table, users.Select(u => (u.UserId, new Dictionary<string, AttributeValue>
        {
            [DynamoDbAttributes.UserId] = S(u.UserId),
            [Attributes] = new() { M = u.Attributes.ToDictionary(a => a.Key, a => S(a.Value)) },
        })), cancellationToken);

    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.UserId] = S(userId) },
        }, cancellationToken);
        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }
        var attributes = item.TryGetValue(Attributes, out var map) && map.M is { } values
            ? values.ToDictionary(a => a.Key, a => a.Value.S ?? "")
            : [];
        return new User(GetString(item, DynamoDbAttributes.UserId), attributes);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        DynamoDbBatches.CountAsync(client, _table, cancellationToken);
}
