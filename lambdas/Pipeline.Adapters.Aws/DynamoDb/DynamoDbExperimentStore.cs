using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
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
    private const string Variants = DynamoDbAttributes.Variants;
    private const string Coverage = "coverage";
    private const string Seed = "seed";
    private const string CreatedAt = "createdAt";
    private const string Namespace = "namespace";
    private const string HashVersion = "hashVersion";
    private const string HashAttribute = "hashAttribute";
    private const string Phase = "phase";
    private const string StartedAt = "startedAt";
    private const string StoppedAt = "stoppedAt";
    private const string WeightsChangedAt = "weightsChangedAt";
    private const string PrimaryMetric = "primaryMetric";
    private const string Guardrails = "guardrails";
    private const string MinimumDetectableEffect = "minimumDetectableEffect";
    private const string Holdout = "holdout";
    private const string Allocation = "allocation";
    private const string Bandit = "bandit";
    private const string WeightHistory = "weightHistory";
    private const string VariantCampaign = DynamoDbAttributes.VariantCampaign;
    private const string VariantConfig = "config";

    /// <summary>Attributes items written before them lack (read as the defaults): a conditional replace also accepts them absent.</summary>
    private static readonly HashSet<string> LaterAttributes =
        [HashAttribute, Phase, PrimaryMetric, Guardrails, MinimumDetectableEffect, Holdout, Allocation];

    /// <summary>Every attribute an experiment item may have besides its key: a conditional replace compares them all.</summary>
    private static readonly string[] Attributes =
    [
        Status, Variants, Coverage, Seed, CreatedAt, Namespace, HashVersion, HashAttribute, Phase, StartedAt, StoppedAt,
        WeightsChangedAt, PrimaryMetric, Guardrails, MinimumDetectableEffect, Holdout, Allocation, Bandit, WeightHistory,
    ];

    private readonly string _table = DynamoDbTables.Required(tables.Experiments, TableSchemas.Experiments);

    public async Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        await client.PutItemAsync(new PutItemRequest { TableName = _table, Item = ToAttributes(experiment) }, cancellationToken);
    }

    public async Task<bool> CreateAsync(Experiment experiment, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = ToAttributes(experiment),
                ConditionExpression = "attribute_not_exists(#key)",
                ExpressionAttributeNames = new() { ["#key"] = DynamoDbAttributes.ExperimentKey },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>
    /// A put conditioned on every attribute being what <paramref name="current"/> writes (equality compares lists and
    /// maps whole) and every attribute it lacks being absent: whoever changed the item in between, another request
    /// or the training workflow's UpdateItem on a variant's campaign, makes the put fail instead of being overwritten.
    /// </summary>
    public async Task<bool> ReplaceAsync(Experiment current, Experiment updated, CancellationToken cancellationToken = default)
    {
        var expected = ToAttributes(current);
        var names = new Dictionary<string, string> { ["#key"] = DynamoDbAttributes.ExperimentKey };
        var values = new Dictionary<string, AttributeValue>();
        var conditions = new List<string> { "attribute_exists(#key)" };
        for (var i = 0; i < Attributes.Length; i++)
        {
            names[$"#a{i}"] = Attributes[i];
            if (expected.TryGetValue(Attributes[i], out var value))
            {
                values[$":v{i}"] = value;
                conditions.Add(LaterAttributes.Contains(Attributes[i]) ? $"(attribute_not_exists(#a{i}) OR #a{i} = :v{i})" : $"#a{i} = :v{i}");
            }
            else
            {
                conditions.Add($"attribute_not_exists(#a{i})");
            }
        }
        try
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = ToAttributes(updated),
                ConditionExpression = string.Join(" AND ", conditions),
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [DynamoDbAttributes.ExperimentKey] = S(key) },
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
            [DynamoDbAttributes.ExperimentKey] = S(e.Key),
            [Status] = S(e.Status.ToString()),
            [Variants] = new()
            {
                L = [.. e.Variants.Select(ToAttribute)],
            },
            [Coverage] = N(e.Coverage),
            [Seed] = S(e.Seed),
            [CreatedAt] = Time(e.CreatedAt),
            [HashVersion] = N(e.HashVersion),
            [HashAttribute] = S(e.HashAttribute),
            [Phase] = N(e.Phase),
            [PrimaryMetric] = S(e.PrimaryMetric),
            [Guardrails] = new() { L = [.. e.Guardrails.Select(S)] },
            [MinimumDetectableEffect] = N(e.MinimumDetectableEffect),
            [Holdout] = N(e.Holdout),
            [Allocation] = S(e.Allocation),
        };
        // Absent for fixed experiments, as for items written before bandits existed.
        if (e.Bandit is { } bandit) item[Bandit] = DynamoDbBanditAttributes.ToAttribute(bandit);
        if (e.WeightHistory.Count > 0) item[WeightHistory] = DynamoDbBanditAttributes.ToAttribute(e.WeightHistory);
        if (e.Namespace is { } ns)
        {
            item[Namespace] = new() { M = new() { ["id"] = S(ns.Id), ["start"] = N(ns.Start), ["end"] = N(ns.End) } };
        }
        SetTimeIfNotNull(item, StartedAt, e.StartedAt);
        SetTimeIfNotNull(item, StoppedAt, e.StoppedAt);
        SetTimeIfNotNull(item, WeightsChangedAt, e.WeightsChangedAt);
        return item;
    }

    // The campaign is the attribute the training workflow sets (DynamoDbAttributes.VariantCampaignUpdate), so it must
    // be read back under that name; absent when the variant has no campaign (DynamoDB has no use for nulls here).
    private static AttributeValue ToAttribute(Variant v)
    {
        var map = new Dictionary<string, AttributeValue>
        {
            [DynamoDbAttributes.VariantKey] = S(v.Key),
            [DynamoDbAttributes.VariantWeight] = N(v.Weight),
            [DynamoDbAttributes.VariantRecipe] = S(v.Recipe),
        };
        SetIfNotNull(map, VariantCampaign, v.Campaign);
        if (v.Config is { } config)
        {
            map[VariantConfig] = new() { M = config.ToDictionary(kv => kv.Key, kv => S(kv.Value)) };
        }
        return new AttributeValue { M = map };
    }

    private static Variant FromAttribute(AttributeValue v) => new(
        GetString(v.M, DynamoDbAttributes.VariantKey),
        GetDouble(v.M, DynamoDbAttributes.VariantWeight),
        GetString(v.M, DynamoDbAttributes.VariantRecipe),
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
            GetString(item, DynamoDbAttributes.ExperimentKey),
            Enum.Parse<ExperimentStatus>(GetString(item, Status)),
            variants,
            GetDouble(item, Coverage),
            GetString(item, Seed),
            GetTime(item, CreatedAt),
            ns,
            (int)GetDouble(item, HashVersion))
        {
            // Items written before these attributes existed read as the defaults.
            HashAttribute = GetStringOrNull(item, HashAttribute) ?? ExperimentDefaults.HashAttribute,
            Phase = item.ContainsKey(Phase) ? (int)GetLong(item, Phase) : 0,
            StartedAt = GetTimeOrNull(item, StartedAt),
            StoppedAt = GetTimeOrNull(item, StoppedAt),
            WeightsChangedAt = GetTimeOrNull(item, WeightsChangedAt),
            PrimaryMetric = GetStringOrNull(item, PrimaryMetric) ?? ExperimentMetrics.ConversionRate,
            Guardrails = item.TryGetValue(Guardrails, out var guardrails) && guardrails.L is { } names
                ? [.. names.Select(n => n.S ?? "")]
                : GuardrailMetrics.All,
            MinimumDetectableEffect = GetDoubleOrNull(item, MinimumDetectableEffect) ?? ExperimentDefaults.MinimumDetectableEffect,
            Holdout = GetDoubleOrNull(item, Holdout) ?? 0,
            Allocation = GetStringOrNull(item, Allocation) ?? Domain.Experiments.Bandits.ExperimentAllocation.Fixed,
            Bandit = item.TryGetValue(Bandit, out var bandit) && bandit.M is not null ? DynamoDbBanditAttributes.Settings(bandit) : null,
            WeightHistory = item.TryGetValue(WeightHistory, out var history) ? DynamoDbBanditAttributes.History(history) : [],
        };
    }

    private static void SetTimeIfNotNull(Dictionary<string, AttributeValue> item, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            item[name] = Time(time);
        }
    }
}
