using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>Creates the tables, each mirroring one DynamoDB table of the AWS deployment.</summary>
internal static class SqliteSchema
{
    public const int Version = 2;

    private const string Ddl = """
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
            PRIMARY KEY (experiment_key, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiment_daily (
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
            PRIMARY KEY (experiment_key, phase, variant_key, day)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiment_applied (
            experiment_key TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            PRIMARY KEY (experiment_key, idempotency_key)
        ) WITHOUT ROWID;
        """;

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
            command.CommandText = $"UPDATE schema_version SET version = {Version}";
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
