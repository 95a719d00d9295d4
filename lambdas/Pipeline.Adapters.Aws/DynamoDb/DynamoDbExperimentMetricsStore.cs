using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using static Pipeline.Adapters.Aws.DynamoDb.DynamoDbValues;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Experiment aggregates in the Aggregates table (generic string keys pk + sk), three kinds of item:
/// <list type="bullet">
/// <item>the user's state: pk <c>exp#&lt;key&gt;#user#&lt;userId&gt;</c>, sk <c>state</c>, with a <c>version</c> that
/// each write increments (optimistic concurrency) and the bandit <c>period</c> the user entered in (absent: 0);</item>
/// <item>the daily sums: pk <c>exp#&lt;key&gt;#phase#&lt;phase&gt;#shard#&lt;n&gt;</c>, sk <c>&lt;yyyy-MM-dd&gt;#&lt;variant&gt;</c> for the
/// users of period 0 (the rows written before periods were stamped are those) and
/// <c>&lt;yyyy-MM-dd&gt;/&lt;period&gt;#&lt;variant&gt;</c> for a later period, with the period also as the <c>period</c> attribute; one
/// number attribute per sum and per latency-histogram bucket (<c>lh00</c> …), grown with <c>ADD</c> so
/// concurrent writers of different users never overwrite each other.
/// A user's changes go to shard <c>fnv1a(userId) mod</c> <see cref="DailyShards"/>: one partition takes about 1,000 write
/// units a second and a transactional write costs two, so one unsharded row per variant and day would cap a variant
/// near 500 updates a second; reads sum the shards;</item>
/// <item>the events already counted: pk <c>exp#&lt;key&gt;#applied#&lt;idempotencyKey&gt;</c>, sk <c>applied</c>.</item>
/// </list>
/// An update writes the three in one transaction, conditioned on the state's version being the one read and on
/// the idempotency key being new; a lost race re-reads and runs the update again.
/// </summary>
public sealed class DynamoDbExperimentMetricsStore(IAmazonDynamoDB client, DynamoDbTables tables, TimeProvider time) : IExperimentMetricsStore
{
    private const string Pk = DynamoDbAttributes.PartitionKey;
    private const string Sk = DynamoDbAttributes.SortKey;
    private const string StateSortKey = "state";
    private const string AppliedSortKey = "applied";
    private const string Version = "version";
    private const string Phase = "phase";
    private const string VariantKey = "variantKey";
    private const string FirstExposedAt = "firstExposedAt";
    private const string Covariate = "covariate";
    private const string Clicks = "clicks";
    private const string Purchases = "purchases";
    private const string Revenue = "revenue";
    private const string Period = "period";
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>Partitions a phase's daily rows are spread over (16 × ~500 transactional updates/s, see the class summary).</summary>
    public const int DailyShards = 16;

    /// <summary>Conflicts are between requests of one user, a handful at most; this bounds a pathological loop.</summary>
    private const int MaxAttempts = 25;

    // The daily row's attributes, in the order of VariantDayMetrics' sums: how to read each from a delta and set it back.
    private static readonly (string Name, Func<VariantDayMetrics, AttributeValue> Get, Func<Dictionary<string, AttributeValue>, VariantDayMetrics, VariantDayMetrics> Set)[] Sums =
    [
        Long("exposedUsers", m => m.ExposedUsers, (m, v) => m with { ExposedUsers = v }),
        Long("exposures", m => m.Exposures, (m, v) => m with { Exposures = v }),
        Long("fallbackExposures", m => m.FallbackExposures, (m, v) => m with { FallbackExposures = v }),
        Double("latencyMsSum", m => m.LatencyMsSum, (m, v) => m with { LatencyMsSum = v }),
        Double("latencyMsSumSq", m => m.LatencyMsSumOfSquares, (m, v) => m with { LatencyMsSumOfSquares = v }),
        Long("clickers", m => m.Clickers, (m, v) => m with { Clickers = v }),
        Long("purchasers", m => m.Purchasers, (m, v) => m with { Purchasers = v }),
        Long("clicks", m => m.Clicks, (m, v) => m with { Clicks = v }),
        Double("clicksSumSq", m => m.ClicksSumOfSquares, (m, v) => m with { ClicksSumOfSquares = v }),
        Long("purchases", m => m.Purchases, (m, v) => m with { Purchases = v }),
        Double("revenue", m => m.Revenue, (m, v) => m with { Revenue = v }),
        Double("revenueSumSq", m => m.RevenueSumOfSquares, (m, v) => m with { RevenueSumOfSquares = v }),
        Double("covariateSum", m => m.CovariateSum, (m, v) => m with { CovariateSum = v }),
        Double("covariateSumSq", m => m.CovariateSumOfSquares, (m, v) => m with { CovariateSumOfSquares = v }),
        Double("clickersCovariate", m => m.ClickersCovariate, (m, v) => m with { ClickersCovariate = v }),
        Double("purchasersCovariate", m => m.PurchasersCovariate, (m, v) => m with { PurchasersCovariate = v }),
        Double("clicksCovariate", m => m.ClicksCovariate, (m, v) => m with { ClicksCovariate = v }),
        Double("revenueCovariate", m => m.RevenueCovariate, (m, v) => m with { RevenueCovariate = v }),
    ];

    // "ADD #s0 :s0, #s1 :s1, …": every sum, so the row exists (with zeros) exactly as SQLite's upsert creates it; and the period.
    private static readonly string AddSums = "ADD " + string.Join(", ", Sums.Select((_, i) => $"#s{i} :s{i}"));

    /// <summary>
    /// The latency histogram: one number attribute per bucket, added in the same update as the sums. Only the buckets the
    /// delta counts in are added (an exposure's one), so a row holds the buckets it has lists in; a missing one reads as 0,
    /// as do all of them in rows written before the histogram was kept. Names are short because a write is billed per KB of
    /// the item: with every bucket and sum present the item stays under 1 KB, one write unit.
    /// </summary>
    private static readonly string[] LatencyBuckets = [.. Enumerable.Range(0, LatencyHistogram.BucketCount).Select(i => $"lh{i:00}")];

    /// <summary>The attribute of a latency bucket, for tests.</summary>
    public static string LatencyBucketAttribute(int bucket) => LatencyBuckets[bucket];

    private readonly string _table = DynamoDbTables.Required(tables.Aggregates, TableSchemas.Aggregates);

    public async Task<ExperimentUserState?> GetUserAsync(string experimentKey, string userId, CancellationToken cancellationToken = default) =>
        (await ReadUserAsync(experimentKey, userId, cancellationToken)).State;

    public async Task UpdateAsync(string experimentKey, string userId, string? idempotencyKey,
        Func<ExperimentUserState?, MetricsChange?> update, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (idempotencyKey is not null && await IsAppliedAsync(experimentKey, idempotencyKey, cancellationToken))
            {
                return; // counted before: skip the work
            }
            var (state, version) = await ReadUserAsync(experimentKey, userId, cancellationToken);
            if (update(state) is not { } change)
            {
                return;
            }
            try
            {
                await client.TransactWriteItemsAsync(new TransactWriteItemsRequest
                {
                    TransactItems = WriteItems(experimentKey, userId, idempotencyKey, change, version),
                }, cancellationToken);
                return;
            }
            catch (TransactionCanceledException e)
            {
                var reasons = e.CancellationReasons ?? [];
                var failed = reasons.Select(r => r.Code == "ConditionalCheckFailed").ToList();
                // Items in the order of WriteItems: state, daily row, then the idempotency item (when keyed).
                if (idempotencyKey is not null && failed.Count == 3 && failed[2] && !failed[0])
                {
                    return; // only the idempotency condition failed: another delivery counted it already
                }
                // The state changed since it was read (or a concurrent transaction conflicted): read it again.
                if (attempt >= MaxAttempts)
                {
                    throw new InvalidOperationException(
                        $"The metrics of user '{userId}' in experiment '{experimentKey}' kept changing during {MaxAttempts} attempts.", e);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, 5 * attempt * attempt) * Random.Shared.NextDouble()), cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<VariantDayMetrics>> ListDailyAsync(string experimentKey, int phase, CancellationToken cancellationToken = default)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, DailyShards)
            .Select(shard => QueryDailyAsync(DailyPartition(experimentKey, phase, shard), cancellationToken)));
        return [.. shards.SelectMany(rows => rows)
            .GroupBy(r => (r.Day, r.VariantKey, r.Period))
            .Select(g => g.Aggregate((sum, row) => sum.Add(row)))
            .OrderBy(r => r.Day).ThenBy(r => r.VariantKey, StringComparer.Ordinal).ThenBy(r => r.Period)];
    }

    private async Task<List<VariantDayMetrics>> QueryDailyAsync(string partition, CancellationToken cancellationToken)
    {
        var rows = new List<VariantDayMetrics>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#pk = :pk",
                ExpressionAttributeNames = new() { ["#pk"] = Pk },
                ExpressionAttributeValues = new() { [":pk"] = S(partition) },
                ExclusiveStartKey = start,
                ConsistentRead = true,
            }, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                rows.Add(ReadDaily(item));
            }
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return rows;
    }

    private List<TransactWriteItem> WriteItems(string experimentKey, string userId, string? idempotencyKey, MetricsChange change, long version)
    {
        var s = change.State;
        var names = new Dictionary<string, string> { ["#period"] = Period };
        var values = new Dictionary<string, AttributeValue> { [":period"] = N(change.Delta.Period) };
        for (var i = 0; i < Sums.Length; i++)
        {
            names[$"#s{i}"] = Sums[i].Name;
            values[$":s{i}"] = Sums[i].Get(change.Delta);
        }
        var update = new System.Text.StringBuilder(AddSums);
        for (var i = 0; i < LatencyBuckets.Length; i++)
        {
            if (change.Delta.LatencyHistogram[i] is var count and not 0)
            {
                names[$"#h{i}"] = LatencyBuckets[i];
                values[$":h{i}"] = N(count);
                update.Append(CultureInfo.InvariantCulture, $", #h{i} :h{i}");
            }
        }
        update.Append(" SET #period = :period");
        var items = new List<TransactWriteItem>
        {
            new()
            {
                Put = new Put
                {
                    TableName = _table,
                    Item = new()
                    {
                        [Pk] = S(UserPartition(experimentKey, userId)),
                        [Sk] = S(StateSortKey),
                        [Version] = N(version + 1),
                        [Phase] = N(s.Phase),
                        [VariantKey] = S(s.VariantKey),
                        [FirstExposedAt] = Time(s.FirstExposedAt),
                        [Covariate] = N(s.Covariate),
                        [Clicks] = N(s.Clicks),
                        [Purchases] = N(s.Purchases),
                        [Revenue] = N(s.Revenue),
                        [Period] = N(s.Period),
                    },
                    ConditionExpression = "attribute_not_exists(#pk) OR #version = :expected",
                    ExpressionAttributeNames = new() { ["#pk"] = Pk, ["#version"] = Version },
                    ExpressionAttributeValues = new() { [":expected"] = N(version) },
                },
            },
            new()
            {
                Update = new Update
                {
                    TableName = _table,
                    Key = new()
                    {
                        [Pk] = S(DailyPartition(experimentKey, s.Phase, DailyShard(userId))),
                        [Sk] = S(DailySortKey(change.Delta)),
                    },
                    UpdateExpression = update.ToString(),
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = values,
                },
            },
        };
        if (idempotencyKey is not null)
        {
            items.Add(new()
            {
                Put = new Put
                {
                    TableName = _table,
                    Item = new()
                    {
                        [Pk] = S(AppliedPartition(experimentKey, idempotencyKey)),
                        [Sk] = S(AppliedSortKey),
                        [DynamoDbAttributes.ExpiresAt] = ExpiresAt(time, tables.AppliedEventsRetention),
                    },
                    ConditionExpression = "attribute_not_exists(#pk)",
                    ExpressionAttributeNames = new() { ["#pk"] = Pk },
                },
            });
        }
        return items;
    }

    private async Task<(ExperimentUserState? State, long Version)> ReadUserAsync(string experimentKey, string userId, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [Pk] = S(UserPartition(experimentKey, userId)), [Sk] = S(StateSortKey) },
            ConsistentRead = true,
        }, cancellationToken);
        if (response.Item is not { Count: > 0 } item)
        {
            return (null, 0);
        }
        var state = new ExperimentUserState(
            (int)GetLong(item, Phase),
            GetString(item, VariantKey),
            GetTime(item, FirstExposedAt),
            GetDouble(item, Covariate),
            GetLong(item, Clicks),
            GetLong(item, Purchases),
            GetDouble(item, Revenue),
            item.ContainsKey(Period) ? (int)GetLong(item, Period) : 0);
        return (state, GetLong(item, Version));
    }

    private async Task<bool> IsAppliedAsync(string experimentKey, string idempotencyKey, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [Pk] = S(AppliedPartition(experimentKey, idempotencyKey)), [Sk] = S(AppliedSortKey) },
            ProjectionExpression = "#pk",
            ExpressionAttributeNames = new() { ["#pk"] = Pk },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 };
    }

    private static VariantDayMetrics ReadDaily(Dictionary<string, AttributeValue> item)
    {
        // sk = "<yyyy-MM-dd>#<variant>" or "<yyyy-MM-dd>/<period>#<variant>": the day has a fixed width and the period is
        // digits up to the first '#', so the variant may hold any character.
        var sk = GetString(item, Sk);
        var period = item.ContainsKey(Period) ? (int)GetLong(item, Period) : 0;
        var variantStart = sk[DayFormat.Length] == '#' ? DayFormat.Length + 1 : sk.IndexOf('#', DayFormat.Length) + 1;
        var row = new VariantDayMetrics(sk[variantStart..],
            DateOnly.ParseExact(sk[..DayFormat.Length], DayFormat, CultureInfo.InvariantCulture)) { Period = period };
        foreach (var (_, _, set) in Sums)
        {
            row = set(item, row);
        }
        var buckets = new long[LatencyBuckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = item.ContainsKey(LatencyBuckets[i]) ? GetLong(item, LatencyBuckets[i]) : 0;
        }
        return row with { LatencyHistogram = LatencyHistogram.FromCounts(buckets) };
    }

    private static string DailySortKey(VariantDayMetrics delta)
    {
        var day = delta.Day.ToString(DayFormat, CultureInfo.InvariantCulture);
        return delta.Period == 0 ? $"{day}#{delta.VariantKey}" : $"{day}/{delta.Period.ToString(CultureInfo.InvariantCulture)}#{delta.VariantKey}";
    }

    private static string UserPartition(string experimentKey, string userId) => $"exp#{experimentKey}#user#{userId}";

    private static string DailyPartition(string experimentKey, int phase, int shard) =>
        $"exp#{experimentKey}#phase#{phase.ToString(CultureInfo.InvariantCulture)}#shard#{shard.ToString(CultureInfo.InvariantCulture)}";

    public static int DailyShard(string userId) => (int)(GrowthBookHash.Fnv1a32(userId) % DailyShards);

    private static string AppliedPartition(string experimentKey, string idempotencyKey) => $"exp#{experimentKey}#applied#{idempotencyKey}";

    private static (string, Func<VariantDayMetrics, AttributeValue>, Func<Dictionary<string, AttributeValue>, VariantDayMetrics, VariantDayMetrics>) Long(
        string name, Func<VariantDayMetrics, long> get, Func<VariantDayMetrics, long, VariantDayMetrics> set) =>
        (name, m => N(get(m)), (item, m) => item.ContainsKey(name) ? set(m, GetLong(item, name)) : m);

    private static (string, Func<VariantDayMetrics, AttributeValue>, Func<Dictionary<string, AttributeValue>, VariantDayMetrics, VariantDayMetrics>) Double(
        string name, Func<VariantDayMetrics, double> get, Func<VariantDayMetrics, double, VariantDayMetrics> set) =>
        (name, m => N(get(m)), (item, m) => item.ContainsKey(name) ? set(m, GetDouble(item, name)) : m);
}
