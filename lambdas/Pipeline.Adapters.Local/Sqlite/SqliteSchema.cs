using Microsoft.Data.Sqlite;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>Creates the tables, each mirroring one DynamoDB table of the AWS deployment.</summary>
internal static class SqliteSchema
{
    public const int Version = 4;

    /// <summary>experiment_daily's latency histogram, one count column per bucket of <see cref="LatencyHistogram"/>.</summary>
    public static readonly string[] LatencyBucketColumns =
        [.. Enumerable.Range(0, LatencyHistogram.BucketCount).Select(i => $"latency_bucket_{i:00}")];

    // DEFAULT 0: rows written before the histogram (and copied by the version 3 migration) read as an empty histogram.
    private static readonly string LatencyBucketDefinitions =
        string.Join("\n", LatencyBucketColumns.Select(c => $"{c} INTEGER NOT NULL DEFAULT 0,"));

    /// <summary>
    /// experiment_daily as this build writes it: created so on a new file, and the table the version 3 migration rebuilds
    /// an older file's rows into, so the two cannot drift apart.
    /// </summary>
    private static readonly string ExperimentDailyColumns = $$"""
        experiment_key TEXT NOT NULL,
        phase INTEGER NOT NULL,
        variant_key TEXT NOT NULL,
        day TEXT NOT NULL,
        exposed_users INTEGER NOT NULL,
        exposures INTEGER NOT NULL,
        fallback_exposures INTEGER NOT NULL,
        latency_ms_sum REAL NOT NULL,
        latency_ms_sum_sq REAL NOT NULL,
        clickers INTEGER NOT NULL,
        purchasers INTEGER NOT NULL,
        clicks INTEGER NOT NULL,
        clicks_sum_sq REAL NOT NULL,
        purchases INTEGER NOT NULL,
        revenue REAL NOT NULL,
        revenue_sum_sq REAL NOT NULL,
        covariate_sum REAL NOT NULL,
        covariate_sum_sq REAL NOT NULL,
        clickers_covariate REAL NOT NULL,
        purchasers_covariate REAL NOT NULL,
        clicks_covariate REAL NOT NULL,
        revenue_covariate REAL NOT NULL,
        period INTEGER NOT NULL DEFAULT 0,
        {{LatencyBucketDefinitions}}
        PRIMARY KEY (experiment_key, phase, variant_key, day, period)
        """;

    /// <summary>The columns a version 1 or 2 experiment_daily already has: the migration copies them as they are.</summary>
    private const string ExperimentDailyColumnsBeforePeriods = """
        experiment_key, phase, variant_key, day, exposed_users, exposures, fallback_exposures,
        latency_ms_sum, latency_ms_sum_sq, clickers, purchasers, clicks, clicks_sum_sq, purchases, revenue, revenue_sum_sq,
        covariate_sum, covariate_sum_sq, clickers_covariate, purchasers_covariate, clicks_covariate, revenue_covariate
        """;

    private static readonly string Ddl = $"""
        CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS items (
            item_id TEXT PRIMARY KEY,
            category TEXT,
            price REAL,
            created_at INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS users (
            user_id TEXT PRIMARY KEY,
            attributes TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            event_value REAL,
            session_id TEXT NOT NULL,
            recommendation_id TEXT,
            timestamp INTEGER NOT NULL
        );
        -- Version 1 indexed events by user in SQLite; the index is now held in memory (UserEventIndex).
        DROP INDEX IF EXISTS events_by_user;
        CREATE TABLE IF NOT EXISTS experiments (
            experiment_key TEXT PRIMARY KEY,
            document TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS assignments (
            experiment_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            variant_key TEXT NOT NULL,
            assigned_at INTEGER NOT NULL,
            PRIMARY KEY (experiment_key, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS exposures (
            recommendation_id TEXT PRIMARY KEY,
            experiment_key TEXT NOT NULL,
            variant_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            recipe TEXT NOT NULL,
            served_by TEXT NOT NULL,
            item_ids TEXT NOT NULL,
            timestamp INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiment_users (
            experiment_key TEXT NOT NULL,
            user_id TEXT NOT NULL,
            phase INTEGER NOT NULL,
            variant_key TEXT NOT NULL,
            first_exposed_at INTEGER NOT NULL,
            covariate REAL NOT NULL,
            clicks INTEGER NOT NULL,
            purchases INTEGER NOT NULL,
            revenue REAL NOT NULL,
            period INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (experiment_key, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiment_daily (
            {ExperimentDailyColumns}
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiment_applied (
            experiment_key TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            PRIMARY KEY (experiment_key, idempotency_key)
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Version 3 stamps each experiment user with the bandit period they entered in and keys the daily rows by it too.
    /// From 1 or 2: the users get the column (0: every earlier user counts in period 0) and experiment_daily is rebuilt
    /// with the period in its key (SQLite cannot change a primary key in place), its rows in period 0.
    /// </summary>
    private static readonly string MigrateToPeriods = $"""
        ALTER TABLE experiment_users ADD COLUMN period INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE experiment_daily_v3 (
            {ExperimentDailyColumns}
        ) WITHOUT ROWID;
        INSERT INTO experiment_daily_v3 ({ExperimentDailyColumnsBeforePeriods}, period)
        SELECT {ExperimentDailyColumnsBeforePeriods}, 0 FROM experiment_daily;
        DROP TABLE experiment_daily;
        ALTER TABLE experiment_daily_v3 RENAME TO experiment_daily;
        """;

    /// <summary>Version 4 keeps a latency histogram per daily row: from 3, the bucket columns are added, all 0.</summary>
    private static readonly string MigrateToLatencyHistograms =
        string.Concat(LatencyBucketColumns.Select(c => $"ALTER TABLE experiment_daily ADD COLUMN {c} INTEGER NOT NULL DEFAULT 0;\n"));

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Ddl;
        command.ExecuteNonQuery();
        command.CommandText = "SELECT version FROM schema_version";
        var existing = command.ExecuteScalar();
        if (existing is null)
        {
            command.CommandText = $"INSERT INTO schema_version (version) VALUES ({Version})";
            command.ExecuteNonQuery();
        }
        else if (Convert.ToInt32(existing, System.Globalization.CultureInfo.InvariantCulture) is var found && found > Version)
        {
            throw new InvalidOperationException(
                $"The database was written by a newer Pipeline (schema {existing}, this build knows {Version}).");
        }
        else if (found < Version)
        {
            // A file marked older may already have the columns (written by this build and marked down, as tests do).
            command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('experiment_daily') WHERE name = 'period'";
            if (found < 3 && Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                command.CommandText = MigrateToPeriods;
                command.ExecuteNonQuery();
            }
            // The version 3 migration rebuilds the table as this build writes it, histogram included.
            command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('experiment_daily') WHERE name = '{LatencyBucketColumns[0]}'";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                command.CommandText = MigrateToLatencyHistograms;
                command.ExecuteNonQuery();
            }
            command.CommandText = $"UPDATE schema_version SET version = {Version}";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
