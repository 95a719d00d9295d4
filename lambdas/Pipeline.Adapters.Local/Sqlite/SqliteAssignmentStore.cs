using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// Assignments, with every one read or written kept in memory: this process is the only writer of the file,
/// so the cache cannot go stale, and a returning user costs no query on the serving path.
/// </summary>
public sealed class SqliteAssignmentStore(SqliteDatabase database) : IAssignmentStore
{
    private const int MaxCached = 2_000_000;
    private readonly ConcurrentDictionary<(string Experiment, string User), Assignment> _cache = new();

    private const string SelectSql = """
        SELECT variant_key, assigned_at FROM assignments WHERE experiment_key = $experiment AND user_id = $user
        """;

    public async Task<Assignment?> GetAsync(string experimentKey, string userId, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue((experimentKey, userId), out var cached))
        {
            return cached;
        }
        await using var connection = database.OpenForReading();
        var stored = Read(connection, null, experimentKey, userId);
        return stored is null ? null : Remember(stored);
    }

    public async Task<Assignment> GetOrAddAsync(Assignment assignment, CancellationToken cancellationToken = default) =>
        Remember(await database.Writes.EnqueueAsync((connection, transaction) =>
        {
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO assignments (experiment_key, user_id, variant_key, assigned_at)
                    VALUES ($experiment, $user, $variant, $at) ON CONFLICT DO NOTHING
                    """;
                insert.Parameters.AddWithValue("$experiment", assignment.ExperimentKey);
                insert.Parameters.AddWithValue("$user", assignment.UserId);
                insert.Parameters.AddWithValue("$variant", assignment.VariantKey);
                insert.Parameters.AddWithValue("$at", SqliteValues.Db(assignment.AssignedAt));
                if (insert.ExecuteNonQuery() == 1)
                {
                    return assignment;
                }
            }
            return Read(connection, transaction, assignment.ExperimentKey, assignment.UserId)!;
        }));

    private Assignment Remember(Assignment assignment)
    {
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }
        _cache[(assignment.ExperimentKey, assignment.UserId)] = assignment;
        return assignment;
    }

    private static Assignment? Read(SqliteConnection connection, SqliteTransaction? transaction, string experimentKey, string userId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SelectSql;
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Assignment(experimentKey, userId, reader.GetString(0), SqliteValues.Time(reader.GetInt64(1)))
            : null;
    }
}
