using Amazon.DynamoDBv2.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Experiments;

namespace Pipeline.Adapters.Aws.Tests.DynamoDb;

[Collection(MotoCollection.Name)]
public sealed class DynamoDbExperimentMetricsStoreTests(MotoServer moto, Xunit.Abstractions.ITestOutputHelper output) : ExperimentMetricsStoreContract
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = DateOnly.FromDateTime(Day1.UtcDateTime);

    protected override Task<IStoreBackend> CreateBackendAsync() => DynamoDbBackend.CreateAsync(moto);

    private static MetricsChange Click(ExperimentUserState? s)
    {
        var state = s ?? new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0);
        return new(state with { Clicks = state.Clicks + 1 }, new VariantDayMetrics("a", Day) { Clicks = 1, Revenue = 0.5 });
    }

    // The conflicts are staged inside the update callback, between the store's read and its transaction: moto_server
    // does not keep transactions atomic under truly concurrent requests, so racing real tasks would test moto.

    [Fact]
    public async Task WriteOfTheSameUser_BetweenReadAndWrite_MakesTheUpdateRunAgain()
    {
        var calls = 0;
        await Backend.Metrics.UpdateAsync("exp", "u1", "k1", s =>
        {
            if (calls++ == 0)
            {
                Backend.Metrics.UpdateAsync("exp", "u1", "k2", Click).GetAwaiter().GetResult();
            }
            return Click(s);
        });

        Assert.Equal(2, calls);
        Assert.Equal(2, (await Backend.Metrics.GetUserAsync("exp", "u1"))!.Clicks);
        var row = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));
        Assert.Equal((2L, 1d), (row.Clicks, row.Revenue));
    }

    [Fact]
    public async Task KeyApplied_BetweenReadAndWrite_IsNotCountedAgain()
    {
        var calls = 0;
        await Backend.Metrics.UpdateAsync("exp", "u1", "k1", s =>
        {
            if (calls++ == 0)
            {
                // Another user, so only the idempotency condition fails.
                Backend.Metrics.UpdateAsync("exp", "u2", "k1", Click).GetAwaiter().GetResult();
            }
            return Click(s);
        });

        Assert.Equal(1, calls);
        Assert.Null(await Backend.Metrics.GetUserAsync("exp", "u1"));
        Assert.Equal(1, (await Backend.Metrics.GetUserAsync("exp", "u2"))!.Clicks);
        var row = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));
        Assert.Equal(1L, row.Clicks);
    }

    [Fact]
    public async Task DailyRows_ComeBackOrderedByDayThenVariantAndKeepAVariantWithAHash()
    {
        var later = Day.AddDays(1);
        foreach (var (user, variant, day) in new[] { ("u1", "b", later), ("u2", "a#2", later), ("u3", "b", Day), ("u4", "a", Day) })
        {
            await Backend.Metrics.UpdateAsync("exp", user, null, _ => new(
                new ExperimentUserState(0, variant, Day1, 0, 0, 0, 0), new VariantDayMetrics(variant, day) { Exposures = 1, LatencyMsSum = 1.25 }));
        }

        var rows = await Backend.Metrics.ListDailyAsync("exp", 0);

        Assert.Equal([(Day, "a"), (Day, "b"), (later, "a#2"), (later, "b")], rows.Select(r => (r.Day, r.VariantKey)));
        Assert.All(rows, r => Assert.Equal((1L, 1.25), (r.Exposures, r.LatencyMsSum)));
    }

    [Fact]
    public async Task OneVariantsDay_IsSpreadOverShardPartitionsAndReadBackAsOneRow()
    {
        var users = Enumerable.Range(0, 64).Select(i => $"user_{i:D3}").ToList();
        foreach (var user in users)
        {
            await Backend.Metrics.UpdateAsync("exp", user, null, _ => new(
                new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0), new VariantDayMetrics("a", Day) { ExposedUsers = 1, Exposures = 1 }));
        }

        var row = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));

        Assert.Equal((64L, 64L), (row.ExposedUsers, row.Exposures));
        // The writes of one variant and day went to many partitions, not one hot item.
        Assert.True(users.Select(DynamoDbExperimentMetricsStore.DailyShard).Distinct().Count() > DynamoDbExperimentMetricsStore.DailyShards / 2);
    }

    /// <summary>
    /// A daily item written before the latency histogram was kept has no bucket attributes: it reads as an empty
    /// histogram with its other sums intact, and a later list's ADD creates just its bucket on the same item.
    /// </summary>
    [Fact]
    public async Task DailyItemWithoutBucketAttributes_ReadsAsAnEmptyHistogramAndLaterListsAddTheirBucket()
    {
        var shard = DynamoDbExperimentMetricsStore.DailyShard("u1");
        using (var client = moto.DynamoDb())
        {
            await client.PutItemAsync(new PutItemRequest
            {
                TableName = ((DynamoDbBackend)Backend).AggregatesTable,
                Item = new()
                {
                    [DynamoDbAttributes.PartitionKey] = new() { S = $"exp#exp#phase#0#shard#{shard}" },
                    [DynamoDbAttributes.SortKey] = new() { S = "2026-11-02#a" },
                    ["exposedUsers"] = new() { N = "3" },
                    ["exposures"] = new() { N = "4" },
                    ["latencyMsSum"] = new() { N = "40" },
                },
            });
        }

        var old = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));
        Assert.Equal((3L, 4L, 40d, LatencyHistogram.Empty), (old.ExposedUsers, old.Exposures, old.LatencyMsSum, old.LatencyHistogram));

        await Backend.Metrics.UpdateAsync("exp", "u1", null, _ => new(new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0),
            new VariantDayMetrics("a", Day) { Exposures = 1, LatencyMsSum = 250, LatencyHistogram = LatencyHistogram.Of(250) }));
        var row = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));
        Assert.Equal((5L, 1L, 1L), (row.Exposures, row.LatencyHistogram.Total, row.LatencyHistogram[LatencyHistogram.BucketOf(250)]));
    }

    /// <summary>
    /// A write is billed per KB of the item after it. With every sum at a full-precision value and every latency bucket
    /// at a million lists (sizes by DynamoDB's rules: names and strings in UTF-8 bytes, a number 1 byte per two significant
    /// digits plus 1), a daily item with a long experiment key and variant stays under 1 KB: one write unit.
    /// </summary>
    [Fact]
    public async Task DailyItem_WithEveryBucketAndSumPresent_StaysUnderOneKilobyte()
    {
        const string experiment = "homepage-recommendations-2026-q4";
        const double big = Math.PI * 1e9;
        var delta = new VariantDayMetrics("user-personalization-v2", Day)
        {
            Period = 12, ExposedUsers = 1_000_000_000, Exposures = 1_000_000_000, FallbackExposures = 1_000_000_000,
            LatencyMsSum = big, LatencyMsSumOfSquares = big, Clickers = 1_000_000_000, Purchasers = 1_000_000_000, Clicks = 1_000_000_000,
            ClicksSumOfSquares = big, Purchases = 1_000_000_000, Revenue = big, RevenueSumOfSquares = big, CovariateSum = big,
            CovariateSumOfSquares = big, ClickersCovariate = big, PurchasersCovariate = big, ClicksCovariate = big, RevenueCovariate = big,
            LatencyHistogram = LatencyHistogram.FromCounts(Enumerable.Repeat(1_000_000L, LatencyHistogram.BucketCount).ToArray()),
        };
        await Backend.Metrics.UpdateAsync(experiment, "u1", null, _ => new(new ExperimentUserState(0, delta.VariantKey, Day1, 0, 0, 0, 0, 12), delta));

        using var client = moto.DynamoDb();
        var response = await client.QueryAsync(new QueryRequest
        {
            TableName = ((DynamoDbBackend)Backend).AggregatesTable,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = DynamoDbAttributes.PartitionKey },
            ExpressionAttributeValues = new() { [":pk"] = new() { S = $"exp#{experiment}#phase#0#shard#{DynamoDbExperimentMetricsStore.DailyShard("u1")}" } },
        });
        var item = Assert.Single(response.Items);

        Assert.Equal(1_000_000L.ToString(System.Globalization.CultureInfo.InvariantCulture), item[DynamoDbExperimentMetricsStore.LatencyBucketAttribute(43)].N);
        var size = item.Sum(a => System.Text.Encoding.UTF8.GetByteCount(a.Key) + (a.Value.S is { } text ? System.Text.Encoding.UTF8.GetByteCount(text) : NumberSize(a.Value.N)));
        output.WriteLine($"daily item with every sum and bucket: {size} bytes ({item.Count} attributes)");
        Assert.InRange(size, 1, 1024);
    }

    private static int NumberSize(string number)
    {
        var mantissa = number.Split('E', 'e')[0].TrimStart('-').Replace(".", "", StringComparison.Ordinal).Trim('0');
        return (mantissa.Length + 1) / 2 + 1;
    }
}
