using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Events;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Events keyed by eventId. Each append is a put conditioned on the id being new, so a redelivered SQS
/// message or a client retry is a no-op and the count of new events is exact. Reads by user go through the
/// byUser index (userId, timestamp), newest first.
/// </summary>
public sealed class DynamoDbEventStore(IAmazonDynamoDB client, DynamoDbTables tables, TimeProvider time) : IEventStore
{
    private const string ItemId = "itemId";
    private const string EventType = "eventType";
    private const string EventValue = "eventValue";
    private const string SessionId = "sessionId";
    private const string RecommendationId = "recommendationId";

    // Conditional puts cannot be batched (BatchWriteItem takes no conditions), so they run a few at a time.
    private const int Parallelism = 8;

    private readonly string _table = DynamoDbTables.Required(tables.Events, TableSchemas.Events);

    public async Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default)
    {
        var ordered = events.ToArray();
        var isNew = new bool[ordered.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, token) => isNew[i] = await PutIfNewAsync(ordered[i], token));
        return [.. ordered.Where((_, i) => isNew[i])];
    }

    public async Task<long> CountByUserAsync(string userId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        long count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                IndexName = DynamoDbAttributes.EventsByUserIndex,
                KeyConditionExpression = "#user = :user AND #time < :before",
                ExpressionAttributeNames = new() { ["#user"] = DynamoDbAttributes.UserId, ["#time"] = DynamoDbAttributes.Timestamp },
                ExpressionAttributeValues = new() { [":user"] = S(userId), [":before"] = Time(before) },
                Select = Select.COUNT,
                ExclusiveStartKey = start,
            }, cancellationToken);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return count;
    }

    public async Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.EventId] = S(eventId) },
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? FromAttributes(item) : null;
    }

    public async Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default)
    {
        var events = new List<InteractionEvent>();
        Dictionary<string, AttributeValue>? start = null;
        while (events.Count < limit)
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                IndexName = DynamoDbAttributes.EventsByUserIndex,
                KeyConditionExpression = "#user = :user",
                ExpressionAttributeNames = new() { ["#user"] = DynamoDbAttributes.UserId },
                ExpressionAttributeValues = new() { [":user"] = S(userId) },
                ScanIndexForward = false,
                Limit = limit - events.Count,
                ExclusiveStartKey = start,
            }, cancellationToken);
            events.AddRange((response.Items ?? []).Select(FromAttributes));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            if (start is null)
            {
                break;
            }
        }
        return events;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        DynamoDbBatches.CountAsync(client, _table, cancellationToken);

    private async Task<bool> PutIfNewAsync(InteractionEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = ToAttributes(e),
                ConditionExpression = "attribute_not_exists(#id)",
                ExpressionAttributeNames = new() { ["#id"] = DynamoDbAttributes.EventId },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private Dictionary<string, AttributeValue> ToAttributes(InteractionEvent e)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoDbAttributes.EventId] = S(e.EventId),
            [DynamoDbAttributes.UserId] = S(e.UserId),
            [ItemId] = S(e.ItemId),
            [EventType] = S(e.EventType),
            [SessionId] = S(e.SessionId),
            [DynamoDbAttributes.Timestamp] = Time(e.Timestamp),
            [DynamoDbAttributes.ExpiresAt] = ExpiresAt(time, tables.EventsRetention),
        };
        SetIfNotNull(item, EventValue, e.EventValue);
        SetIfNotNull(item, RecommendationId, e.RecommendationId);
        return item;
    }

    private static InteractionEvent FromAttributes(Dictionary<string, AttributeValue> item) => new(
        GetString(item, DynamoDbAttributes.EventId),
        GetString(item, DynamoDbAttributes.UserId),
        GetString(item, ItemId),
        GetString(item, EventType),
        GetDoubleOrNull(item, EventValue),
        GetString(item, SessionId),
        GetStringOrNull(item, RecommendationId),
        GetTime(item, DynamoDbAttributes.Timestamp));
}
