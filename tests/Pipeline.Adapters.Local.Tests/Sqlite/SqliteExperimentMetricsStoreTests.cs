using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Local.Sqlite;
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
    public async Task ConcurrentUpdatesOfOneUser_AreAllCountedAndAKeyOnlyOnce()
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

    /// <summary>experiment_daily's key and sums up to schema 3, before the period and the latency histogram were added.</summary>
    private const string DailySumColumns = """
        experiment_key TEXT NOT NULL, phase INTEGER NOT NULL, variant_key TEXT NOT NULL, day TEXT NOT NULL,
        exposed_users INTEGER NOT NULL, exposures INTEGER NOT NULL, fallback_exposures INTEGER NOT NULL,
        latency_ms_sum REAL NOT NULL, latency_ms_sum_sq REAL NOT NULL, clickers INTEGER NOT NULL, purchasers INTEGER NOT NULL,
        clicks INTEGER NOT NULL, clicks_sum_sq REAL NOT NULL, purchases INTEGER NOT NULL, revenue REAL NOT NULL,
        revenue_sum_sq REAL NOT NULL, covariate_sum REAL NOT NULL, covariate_sum_sq REAL NOT NULL,
        clickers_covariate REAL NOT NULL, purchasers_covariate REAL NOT NULL, clicks_covariate REAL NOT NULL,
        """;

    private static async Task<object?> SchemaVersionAsync(TemporaryDatabase db)
    {
        await using var connection = db.Database.OpenForReading();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT version FROM schema_version";
        return query.ExecuteScalar();
    }

    /// <summary>Closes the test's database and rewrites its tables with <paramref name="sql"/>, as an older build left them.</summary>
    private static async Task AsWrittenByAnOlderSchemaAsync(TemporaryDatabase db, string sql)
    {
        db.Database.Dispose();
        SqliteDatabase.ReleaseAll();
        await using var connection = new SqliteConnection($"Data Source={db.FilePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Schema 2 had no periods: opening such a file migrates it to 3, its users and rows in period 0, and a user of a
    /// later period then gets a row of their own beside the old one.
    /// </summary>
    [Fact]
    public async Task Open_WhenTheFileHasSchemaTwo_MovesItsAggregatesToPeriodZeroAndKeysNewRowsByPeriod()
    {
        using var db = new TemporaryDatabase();
        await AsWrittenByAnOlderSchemaAsync(db, $$"""
            DROP TABLE experiment_users;
            DROP TABLE experiment_daily;
            CREATE TABLE experiment_users (
                experiment_key TEXT NOT NULL, user_id TEXT NOT NULL, phase INTEGER NOT NULL, variant_key TEXT NOT NULL,
                first_exposed_at INTEGER NOT NULL, covariate REAL NOT NULL, clicks INTEGER NOT NULL, purchases INTEGER NOT NULL,
                revenue REAL NOT NULL, PRIMARY KEY (experiment_key, user_id)) WITHOUT ROWID;
            CREATE TABLE experiment_daily (
                {{DailySumColumns}}
                revenue_covariate REAL NOT NULL, PRIMARY KEY (experiment_key, phase, variant_key, day)) WITHOUT ROWID;
            INSERT INTO experiment_users VALUES ('exp', 'u1', 0, 'a', 0, 2, 1, 0, 0);
            INSERT INTO experiment_daily VALUES ('exp', 0, 'a', '2026-11-02', 3, 4, 0, 40, 400, 1, 0, 1, 1, 0, 0, 0, 2, 4, 2, 0, 2, 0);
            UPDATE schema_version SET version = 2;
            """);

        var store = new SqliteExperimentMetricsStore(db.Reopen());

        var old = Assert.Single(await store.ListDailyAsync("exp", 0));
        Assert.Equal(("a", 0, 3L, 4L, 1L), (old.VariantKey, old.Period, old.ExposedUsers, old.Exposures, old.Clickers));
        Assert.Equal(LatencyHistogram.Empty, old.LatencyHistogram);
        Assert.Equal(0, (await store.GetUserAsync("exp", "u1"))!.Period);
        var day = DateOnly.FromDateTime(Day1.UtcDateTime);
        await store.UpdateAsync("exp", "u2", null, _ => new MetricsChange(new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0, Period: 2),
            new VariantDayMetrics("a", day) { Period = 2, ExposedUsers = 1, Exposures = 1 }));
        var rows = await store.ListDailyAsync("exp", 0);
        Assert.Equal([(0, 3L), (2, 1L)], rows.Select(r => (r.Period, r.ExposedUsers)));
        Assert.Equal(2, (await store.GetUserAsync("exp", "u2"))!.Period);
        Assert.Equal(4L, await SchemaVersionAsync(db));
    }

    /// <summary>
    /// Schema 3 had no latency histogram: opening such a file adds the bucket columns, its rows read as empty histograms
    /// (their other sums as they were), and later lists of the same row count in their buckets.
    /// </summary>
    [Fact]
    public async Task Open_WhenTheFileHasSchemaThree_ReadsItsRowsWithEmptyHistogramsAndCountsNewLists()
    {
        using var db = new TemporaryDatabase();
        await AsWrittenByAnOlderSchemaAsync(db, $$"""
            DROP TABLE experiment_daily;
            CREATE TABLE experiment_daily (
                {{DailySumColumns}}
                revenue_covariate REAL NOT NULL, period INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (experiment_key, phase, variant_key, day, period)) WITHOUT ROWID;
            INSERT INTO experiment_daily VALUES ('exp', 0, 'a', '2026-11-02', 3, 4, 0, 40, 400, 1, 0, 1, 1, 0, 0, 0, 2, 4, 2, 0, 2, 0, 0);
            UPDATE schema_version SET version = 3;
            """);

        var store = new SqliteExperimentMetricsStore(db.Reopen());

        var old = Assert.Single(await store.ListDailyAsync("exp", 0));
        Assert.Equal((4L, 40d, LatencyHistogram.Empty), (old.Exposures, old.LatencyMsSum, old.LatencyHistogram));
        var day = DateOnly.FromDateTime(Day1.UtcDateTime);
        await store.UpdateAsync("exp", "u2", null, _ => new MetricsChange(new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0),
            new VariantDayMetrics("a", day) { Exposures = 1, LatencyMsSum = 250, LatencyHistogram = LatencyHistogram.Of(250) }));
        var row = Assert.Single(await store.ListDailyAsync("exp", 0));
        Assert.Equal((5L, 1L, 1L), (row.Exposures, row.LatencyHistogram.Total, row.LatencyHistogram[LatencyHistogram.BucketOf(250)]));
        Assert.Equal(4L, await SchemaVersionAsync(db));
    }
}
