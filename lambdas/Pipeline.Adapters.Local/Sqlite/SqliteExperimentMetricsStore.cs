using System.Globalization;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// Experiment aggregates in two tables: <c>experiment_users</c> (one row per user per experiment, the O(1)
/// state, with the bandit period the user entered in) and <c>experiment_daily</c> (additive sums per phase, variant, day
/// and the users' period, with a latency histogram as one count column per bucket). An update reads and
/// writes both on the single writer connection, inside one group-commit transaction;
/// <c>experiment_applied</c> remembers the events already counted.
/// </summary>
public sealed class SqliteExperimentMetricsStore(SqliteDatabase database) : IExperimentMetricsStore
{
    // Columns of experiment_daily after the key, in the order of VariantDayMetrics' sums.
    private static readonly (string Column, Func<VariantDayMetrics, object> Get, Func<SqliteDataReader, int, VariantDayMetrics, VariantDayMetrics> Set)[] Sums =
    [
        ("exposed_users", m => m.ExposedUsers, (r, i, m) => m with { ExposedUsers = r.GetInt64(i) }),
        ("exposures", m => m.Exposures, (r, i, m) => m with { Exposures = r.GetInt64(i) }),
        ("fallback_exposures", m => m.FallbackExposures, (r, i, m) => m with { FallbackExposures = r.GetInt64(i) }),
        ("latency_ms_sum", m => m.LatencyMsSum, (r, i, m) => m with { LatencyMsSum = r.GetDouble(i) }),
        ("latency_ms_sum_sq", m => m.LatencyMsSumOfSquares, (r, i, m) => m with { LatencyMsSumOfSquares = r.GetDouble(i) }),
        ("clickers", m => m.Clickers, (r, i, m) => m with { Clickers = r.GetInt64(i) }),
        ("purchasers", m => m.Purchasers, (r, i, m) => m with { Purchasers = r.GetInt64(i) }),
        ("clicks", m => m.Clicks, (r, i, m) => m with { Clicks = r.GetInt64(i) }),
        ("clicks_sum_sq", m => m.ClicksSumOfSquares, (r, i, m) => m with { ClicksSumOfSquares = r.GetDouble(i) }),
        ("purchases", m => m.Purchases, (r, i, m) => m with { Purchases = r.GetInt64(i) }),
        ("revenue", m => m.Revenue, (r, i, m) => m with { Revenue = r.GetDouble(i) }),
        ("revenue_sum_sq", m => m.RevenueSumOfSquares, (r, i, m) => m with { RevenueSumOfSquares = r.GetDouble(i) }),
        ("covariate_sum", m => m.CovariateSum, (r, i, m) => m with { CovariateSum = r.GetDouble(i) }),
        ("covariate_sum_sq", m => m.CovariateSumOfSquares, (r, i, m) => m with { CovariateSumOfSquares = r.GetDouble(i) }),
        ("clickers_covariate", m => m.ClickersCovariate, (r, i, m) => m with { ClickersCovariate = r.GetDouble(i) }),
        ("purchasers_covariate", m => m.PurchasersCovariate, (r, i, m) => m with { PurchasersCovariate = r.GetDouble(i) }),
        ("clicks_covariate", m => m.ClicksCovariate, (r, i, m) => m with { ClicksCovariate = r.GetDouble(i) }),
        ("revenue_covariate", m => m.RevenueCovariate, (r, i, m) => m with { RevenueCovariate = r.GetDouble(i) }),
    ];

    // Every summed column: the sums, then the latency histogram's buckets (read as one histogram).
    private static readonly string[] Columns = [.. Sums.Select(s => s.Column), .. SqliteSchema.LatencyBucketColumns];

    // A change touches at most one bucket (an exposure's list) and usually none (an event's attribution): its upsert
    // names only those, as binding and adding 44 zeros per update cost the events path a third of its throughput.
    private static readonly string UpsertSums = Upsert([]);
    private static readonly string[] UpsertSumsAndBucket = [.. SqliteSchema.LatencyBucketColumns.Select(c => Upsert([c]))];
    private static readonly string UpsertAll = Upsert(SqliteSchema.LatencyBucketColumns);

    private static string Upsert(IReadOnlyList<string> buckets)
    {
        string[] columns = [.. Sums.Select(s => s.Column), .. buckets];
        return $"""
            INSERT INTO experiment_daily (experiment_key, phase, variant_key, day, period, {string.Join(", ", columns)})
            VALUES ($experiment, $phase, $variant, $day, $period, {string.Join(", ", columns.Select(c => "$" + c))})
            ON CONFLICT (experiment_key, phase, variant_key, day, period) DO UPDATE SET
            {string.Join(", ", columns.Select(c => $"{c} = {c} + excluded.{c}"))}
            """;
    }

    private static readonly string[] SumParameters = [.. Sums.Select(s => "$" + s.Column)];
    private static readonly string[] BucketParameters = [.. SqliteSchema.LatencyBucketColumns.Select(c => "$" + c)];

    // Users' states as last committed: the recommendation path asks for one per exposure.
    private readonly ExperimentUserRows<ExperimentUserState> _users = database.Shared(db => ExperimentUserRows<ExperimentUserState>.Load(
        db, "experiment_users", $"SELECT experiment_key, user_id, {UserColumns} FROM experiment_users",
        reader => (reader.GetString(0), reader.GetString(1), ReadUser(reader, 2))));

    public Task<ExperimentUserState?> GetUserAsync(string experimentKey, string userId, CancellationToken cancellationToken = default)
    {
        if (_users.TryGet(experimentKey, userId, out var known))
        {
            return Task.FromResult(known);
        }
        var stored = database.Read(SelectUser, command => ReadUser(command, experimentKey, userId));
        if (stored is not null)
        {
            // Never over a state committed while this read ran: that one is newer.
            _users.Remember(experimentKey, userId, stored, replace: false);
        }
        return Task.FromResult(stored);
    }

    private const int NoBucket = -1, SeveralBuckets = -2;

    /// <summary>The one bucket <paramref name="histogram"/> counts in, <see cref="NoBucket"/> or <see cref="SeveralBuckets"/>.</summary>
    private static int TouchedBucket(LatencyHistogram histogram)
    {
        var touched = NoBucket;
        for (var i = 0; i < LatencyHistogram.BucketCount; i++)
        {
            if (histogram[i] == 0) continue;
            if (touched != NoBucket) return SeveralBuckets;
            touched = i;
        }
        return touched;
    }

    public async Task UpdateAsync(string experimentKey, string userId, string? idempotencyKey,
        Func<ExperimentUserState?, MetricsChange?> update, CancellationToken cancellationToken = default)
    {
        // The read, the update and the writes run on the single writer connection inside one group-commit
        // transaction, so two updates of a user cannot interleave and a failure rolls back all of them.
        await database.Writes.EnqueueAsync<ExperimentUserState?>((_, transaction) =>
        {
            var state = ReadUser(database.Writes.Command(SelectUser, transaction), experimentKey, userId);
            if (update(state) is not { } change)
            {
                return null;
            }
            if (idempotencyKey is not null && !MarkApplied(transaction, experimentKey, idempotencyKey))
            {
                return null; // counted before
            }
            if (change.State != state)
            {
                WriteUser(transaction, experimentKey, userId, change.State);
            }
            var touched = TouchedBucket(change.Delta.LatencyHistogram);
            var command = database.Writes.Command(touched switch
            {
                NoBucket => UpsertSums,
                SeveralBuckets => UpsertAll,
                _ => UpsertSumsAndBucket[touched],
            }, transaction);
            command.Parameters.AddWithValue("$experiment", experimentKey);
            command.Parameters.AddWithValue("$phase", change.State.Phase);
            command.Parameters.AddWithValue("$variant", change.Delta.VariantKey);
            command.Parameters.AddWithValue("$day", Day(change.Delta.Day));
            command.Parameters.AddWithValue("$period", change.Delta.Period);
            for (var i = 0; i < Sums.Length; i++)
            {
                command.Parameters.AddWithValue(SumParameters[i], Sums[i].Get(change.Delta));
            }
            if (touched >= 0)
            {
                command.Parameters.AddWithValue(BucketParameters[touched], change.Delta.LatencyHistogram[touched]);
            }
            else if (touched == SeveralBuckets)
            {
                for (var i = 0; i < BucketParameters.Length; i++)
                {
                    command.Parameters.AddWithValue(BucketParameters[i], change.Delta.LatencyHistogram[i]);
                }
            }
            command.ExecuteNonQuery();
            return change.State;
        },
        // In commit order and before the caller resumes, so the cached state is always the latest committed one.
        committed: written =>
        {
            if (written is not null)
            {
                _users.Remember(experimentKey, userId, written);
            }
        });
    }

    /// <summary>Reads after every update queued before the call is committed: exposures are recorded without waiting for the disk.</summary>
    public async Task<IReadOnlyList<VariantDayMetrics>> ListDailyAsync(string experimentKey, int phase, CancellationToken cancellationToken = default)
    {
        await database.Writes.EnqueueAsync((_, _) => 0);
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT variant_key, day, period, {string.Join(", ", Columns)} FROM experiment_daily
            WHERE experiment_key = $experiment AND phase = $phase ORDER BY day, variant_key, period
            """;
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$phase", phase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<VariantDayMetrics>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new VariantDayMetrics(reader.GetString(0), DateOnly.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture))
            {
                Period = reader.GetInt32(2),
            };
            for (var i = 0; i < Sums.Length; i++)
            {
                row = Sums[i].Set(reader, i + 3, row);
            }
            var buckets = new long[BucketParameters.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = reader.GetInt64(3 + Sums.Length + i);
            }
            rows.Add(row with { LatencyHistogram = LatencyHistogram.FromCounts(buckets) });
        }
        return rows;
    }

    private bool MarkApplied(SqliteTransaction transaction, string experimentKey, string idempotencyKey)
    {
        var command = database.Writes.Command(
            "INSERT INTO experiment_applied (experiment_key, idempotency_key) VALUES ($experiment, $key) ON CONFLICT DO NOTHING", transaction);
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$key", idempotencyKey);
        return command.ExecuteNonQuery() == 1;
    }

    private const string UserColumns = "phase, variant_key, first_exposed_at, covariate, clicks, purchases, revenue, period";

    private const string SelectUser = $"SELECT {UserColumns} FROM experiment_users WHERE experiment_key = $experiment AND user_id = $user";

    private static ExperimentUserState? ReadUser(SqliteCommand command, string experimentKey, string userId)
    {
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader, 0) : null;
    }

    private static ExperimentUserState ReadUser(SqliteDataReader reader, int first) => new(
        reader.GetInt32(first), reader.GetString(first + 1), SqliteValues.Time(reader.GetInt64(first + 2)),
        reader.GetDouble(first + 3), reader.GetInt64(first + 4), reader.GetInt64(first + 5), reader.GetDouble(first + 6), reader.GetInt32(first + 7));

    private void WriteUser(SqliteTransaction transaction, string experimentKey, string userId, ExperimentUserState state)
    {
        var command = database.Writes.Command("""
            INSERT INTO experiment_users (experiment_key, user_id, phase, variant_key, first_exposed_at, covariate, clicks, purchases, revenue, period)
            VALUES ($experiment, $user, $phase, $variant, $first, $covariate, $clicks, $purchases, $revenue, $period)
            ON CONFLICT (experiment_key, user_id) DO UPDATE SET phase = excluded.phase, variant_key = excluded.variant_key,
                first_exposed_at = excluded.first_exposed_at, covariate = excluded.covariate, clicks = excluded.clicks,
                purchases = excluded.purchases, revenue = excluded.revenue, period = excluded.period
            """, transaction);
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$phase", state.Phase);
        command.Parameters.AddWithValue("$variant", state.VariantKey);
        command.Parameters.AddWithValue("$first", SqliteValues.Db(state.FirstExposedAt));
        command.Parameters.AddWithValue("$covariate", state.Covariate);
        command.Parameters.AddWithValue("$clicks", state.Clicks);
        command.Parameters.AddWithValue("$purchases", state.Purchases);
        command.Parameters.AddWithValue("$revenue", state.Revenue);
        command.Parameters.AddWithValue("$period", state.Period);
        command.ExecuteNonQuery();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
