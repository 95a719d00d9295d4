using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Experiments;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteExperimentMetricsStoreTests : ExperimentMetricsStoreContract
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());

    /// <summary>
    /// Truly concurrent writers. Not in the contract: moto_server's transactions are not atomic under concurrent
    /// requests (a cancelled one restores a snapshot of the whole table), so the DynamoDB store's conflict paths
    /// are tested deterministically in its own class instead.
    /// </summary>
    [Fact]
    public async Task Concurrent_updates_of_one_user_are_all_counted_and_a_key_only_once()
    {
        var day = DateOnly.FromDateTime(Day1.UtcDateTime);
        MetricsChange Click(ExperimentUserState? s)
        {
            var state = s ?? new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0);
            return new(state with { Clicks = state.Clicks + 1 }, new VariantDayMetrics("a", day) { Clicks = 1, Revenue = 0.5 });
        }

        // 12 distinct keys, each delivered twice, and 4 updates without a key, all at once.
        var keys = Enumerable.Range(0, 12).SelectMany(i => new string?[] { $"k{i}", $"k{i}" }).Concat(Enumerable.Repeat<string?>(null, 4));
        await Task.WhenAll(keys.Select(key => Task.Run(() => Backend.Metrics.UpdateAsync("exp", "u1", key, Click))));

        var row = Assert.Single(await Backend.Metrics.ListDailyAsync("exp", 0));
        Assert.Equal((16L, 8d), (row.Clicks, row.Revenue));
        Assert.Equal(16, (await Backend.Metrics.GetUserAsync("exp", "u1"))!.Clicks);
    }
}
