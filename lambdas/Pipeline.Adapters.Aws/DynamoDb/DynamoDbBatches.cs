using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>BatchWriteItem in chunks of 25 with retries of what DynamoDB returns unprocessed, and counting scans.</summary>
internal static class DynamoDbBatches
{
    private const int MaxBatch = 25;
    private const int MaxAttempts = 8;

    /// <summary>Puts every item; later items with the same key win, as sequential upserts would.</summary>
    public static async Task PutAllAsync(
        IAmazonDynamoDB client, string table, IEnumerable<(string Key, Dictionary<string, AttributeValue> Item)> items,
        CancellationToken cancellationToken)
    {
        // One batch may not name a key twice, so only the last write of each key is sent.
        var last = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
        foreach (var (key, item) in items)
        {
            last[key] = item;
        }
        foreach (var chunk in last.Values.Chunk(MaxBatch))
        {
            var pending = new Dictionary<string, List<WriteRequest>>
            {
                [table] = [.. chunk.Select(item => new WriteRequest { PutRequest = new PutRequest { Item = item } })],
            };
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                if (attempt > MaxAttempts)
                {
                    throw new InvalidOperationException(
                        $"DynamoDB left {pending.Values.Sum(w => w.Count)} writes to {table} unprocessed after {MaxAttempts} attempts.");
                }
                if (attempt > 1)
                {
                    // Unprocessed items mean throttling: back off exponentially with jitter, as AWS advises.
                    var delay = TimeSpan.FromMilliseconds(Math.Min(2000, 25 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2));
                    await Task.Delay(delay, cancellationToken);
                }
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken);
                pending = response.UnprocessedItems is { Count: > 0 } unprocessed
                    ? unprocessed.Where(t => t.Value.Count > 0).ToDictionary()
                    : [];
            }
        }
    }

    /// <summary>Counts a table's items with a paginated COUNT scan: linear in the table, for admin and tests, not serving.</summary>
    public static async Task<long> CountAsync(IAmazonDynamoDB client, string table, CancellationToken cancellationToken)
    {
        long count = 0;
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.ScanAsync(new ScanRequest { TableName = table, Select = Select.COUNT, ExclusiveStartKey = start }, cancellationToken);
            count += response.Count ?? 0;
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return count;
    }
}
