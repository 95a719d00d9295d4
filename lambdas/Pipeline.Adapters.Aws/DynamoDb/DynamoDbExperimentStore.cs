using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.Domain.Experiments;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Experiments as native DynamoDB items (variants a list of maps), so they read well in the console and
/// a single attribute can be updated by the training workflow when it switches a variant's campaign.
/// </summary>
public sealed class DynamoDbExperimentStore(IAmazonDynamoDB client, DynamoDbTables tables) : IExperimentStore
{
    private const string Status = "status";
    private const string Variants = "variants";
    private const string Coverage = "coverage";
    private const string Seed = "seed";
    private const string CreatedAt = "createdAt";
    private const string Namespace = "namespace";
    private const string HashVersion = "hashVersion";
    private const string VariantCampaign = "campaign";
    private const string VariantConfig = "config";

    private readonly string _table = DynamoDbTables.Required(tables.Experiments, "Experiments");

    public async Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        await client.PutItemAsync(new PutItemRequest { TableName = _table, Item = ToAttributes(experiment) }, cancellationToken);
    }

    public async Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbSchema.ExperimentKey] = S(key) },
            // Experiments change rarely but a stop must take effect on the next request.
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? FromAttributes(item) : null;
    }

    public async Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default)
    {
        var experiments = new List<Experiment>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.ScanAsync(new ScanRequest { TableName = _table, ExclusiveStartKey = start, ConsistentRead = true }, cancellationToken);
            experiments.AddRange((response.Items ?? []).Select(FromAttributes));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        // A scan has no order; the other backends list by key.
        return [.. experiments.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    private static Dictionary<string, AttributeValue> ToAttributes(Experiment e)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [DynamoDbSchema.ExperimentKey] = S(e.Key),
            [Status] = S(e.Status.ToString()),
            [Variants] = new()
            {
                L = [.. e.Variants.Select(ToAttribute)],
            },
            [Coverage] = N(e.Coverage),
            [Seed] = S(e.Seed),
            [CreatedAt] = Time(e.CreatedAt),
            [HashVersion] = N(e.HashVersion),
        };
        if (e.Namespace is { } ns)
        {
            item[Namespace] = new() { M = new() { ["id"] = S(ns.Id), ["start"] = N(ns.Start), ["end"] = N(ns.End) } };
        }
        return item;
    }

    // "campaign" is the attribute the training workflow sets (SET variants[N].campaign = :campaign), so it must
    // be read back under that name; absent when the variant has no campaign (DynamoDB has no use for nulls here).
    private static AttributeValue ToAttribute(Variant v)
    {
        var map = new Dictionary<string, AttributeValue> { ["key"] = S(v.Key), ["weight"] = N(v.Weight), ["recipe"] = S(v.Recipe) };
        SetIfNotNull(map, VariantCampaign, v.Campaign);
        if (v.Config is { } config)
        {
            map[VariantConfig] = new() { M = config.ToDictionary(kv => kv.Key, kv => S(kv.Value)) };
        }
        return new AttributeValue { M = map };
    }

    private static Variant FromAttribute(AttributeValue v) => new(
        GetString(v.M, "key"),
        GetDouble(v.M, "weight"),
        GetString(v.M, "recipe"),
        GetStringOrNull(v.M, VariantCampaign),
        v.M.TryGetValue(VariantConfig, out var config) && config.M is { } entries
            ? entries.ToDictionary(kv => kv.Key, kv => kv.Value.S ?? "", StringComparer.Ordinal)
            : null);

    private static Experiment FromAttributes(Dictionary<string, AttributeValue> item)
    {
        var variants = (item.TryGetValue(Variants, out var list) ? list.L ?? [] : []).Select(FromAttribute).ToList();
        var ns = item.TryGetValue(Namespace, out var map) && map.M is { } m
            ? new ExperimentNamespace(GetString(m, "id"), GetDouble(m, "start"), GetDouble(m, "end"))
            : null;
        return new Experiment(
            GetString(item, DynamoDbSchema.ExperimentKey),
            Enum.Parse<ExperimentStatus>(GetString(item, Status)),
            variants,
            GetDouble(item, Coverage),
            GetString(item, Seed),
            GetTime(item, CreatedAt),
            ns,
            (int)GetDouble(item, HashVersion));
    }
}
