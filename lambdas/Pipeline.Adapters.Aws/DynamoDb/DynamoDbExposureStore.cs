using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Exposures keyed by recommendationId (conversions look them up by it); the byExperiment index
/// (experimentKey, timestamp) serves the analysis. Served items are a list, which keeps their order.
/// </summary>
public sealed class DynamoDbExposureStore(IAmazonDynamoDB client, DynamoDbTables tables, TimeProvider time) : IExposureStore
{
    private const string VariantKey = "variantKey";
    private const string Recipe = "recipe";
    private const string ServedBy = "servedBy";
    private const string ItemIds = "itemIds";

    private readonly string _table = DynamoDbTables.Required(tables.Exposures, TableSchemas.Exposures);

    public async Task AppendAsync(Exposure exposure, CancellationToken cancellationToken = default)
    {
        await client.PutItemAsync(new PutItemRequest
        {
            TableName = _table,
            Item = new()
            {
                [DynamoDbAttributes.RecommendationId] = S(exposure.RecommendationId),
                [DynamoDbAttributes.ExperimentKey] = S(exposure.ExperimentKey),
                [VariantKey] = S(exposure.VariantKey),
                [DynamoDbAttributes.UserId] = S(exposure.UserId),
                [Recipe] = S(exposure.Recipe),
                [ServedBy] = S(exposure.ServedBy),
                [ItemIds] = new() { L = [.. exposure.ItemIds.Select(S)] },
                [DynamoDbAttributes.Timestamp] = Time(exposure.Timestamp),
                [DynamoDbAttributes.ExpiresAt] = ExpiresAt(time, tables.ExposuresRetention),
            },
        }, cancellationToken);
    }

    public async Task<Exposure?> GetAsync(string recommendationId, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.RecommendationId] = S(recommendationId) },
        }, cancellationToken);
        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }
        return new Exposure(
            recommendationId,
            GetString(item, DynamoDbAttributes.ExperimentKey),
            GetString(item, VariantKey),
            GetString(item, DynamoDbAttributes.UserId),
            GetString(item, Recipe),
            GetString(item, ServedBy),
            [.. (item.TryGetValue(ItemIds, out var list) ? list.L ?? [] : []).Select(v => v.S)],
            GetTime(item, DynamoDbAttributes.Timestamp));
    }
}
