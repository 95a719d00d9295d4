using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// Assignments, every one held in memory (<see cref="ExperimentUserRows{T}"/>): a returning user costs no query on the
/// serving path, and neither does a new one.
/// </summary>
public sealed class SqliteAssignmentStore(SqliteDatabase database) : IAssignmentStore
{
    private readonly ExperimentUserRows<Assignment> _rows = database.Shared(db => ExperimentUserRows<Assignment>.Load(db, "assignments",
        "SELECT experiment_key, user_id, variant_key, assigned_at FROM assignments",
        reader => (reader.GetString(0), reader.GetString(1),
            new Assignment(reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteValues.Time(reader.GetInt64(3))))));

    private const string SelectSql = """
        SELECT variant_key, assigned_at FROM assignments WHERE experiment_key = $experiment AND user_id = $user
        """;

    public Task<Assignment?> GetAsync(string experimentKey, string userId, CancellationToken cancellationToken = default)
    {
        if (_rows.TryGet(experimentKey, userId, out var known))
        {
            return Task.FromResult(known);
        }
        var stored = database.Read(SelectSql, command => Read(command, experimentKey, userId));
        if (stored is not null)
        {
            _rows.Remember(experimentKey, userId, stored, replace: false);
        }
        return Task.FromResult(stored);
    }

    /// <summary>
    /// Returns the user's assignment if there is one, else records <paramref name="assignment"/> in memory at once
    /// and queues its row without waiting for the disk, like exposures: serving a new user costs no fsync. The
    /// in-memory entry decides races, and this process is the file's only writer. A crash can lose only the rows of
    /// that instant; such a user is bucketed again by the same deterministic hash (the same variant unless the
    /// weights changed in between), and nothing of theirs was attributed yet, since their exposure was queued behind.
    /// </summary>
    public async Task<Assignment> GetOrAddAsync(Assignment assignment, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(assignment.ExperimentKey, assignment.UserId, cancellationToken) is { } known)
        {
            return known;
        }
        var winner = _rows.GetOrAdd(assignment.ExperimentKey, assignment.UserId, assignment);
        if (!ReferenceEquals(winner, assignment))
        {
            return winner;
        }
        var committed = database.Writes.EnqueueAsync((_, transaction) =>
        {
            var insert = database.Writes.Command("""
                INSERT INTO assignments (experiment_key, user_id, variant_key, assigned_at)
                VALUES ($experiment, $user, $variant, $at) ON CONFLICT DO NOTHING
                """, transaction);
            insert.Parameters.AddWithValue("$experiment", assignment.ExperimentKey);
            insert.Parameters.AddWithValue("$user", assignment.UserId);
            insert.Parameters.AddWithValue("$variant", assignment.VariantKey);
            insert.Parameters.AddWithValue("$at", SqliteValues.Db(assignment.AssignedAt));
            return insert.ExecuteNonQuery();
        });
        _ = committed.ContinueWith(
            failed => Trace.TraceError($"Assignment of {assignment.UserId} in {assignment.ExperimentKey} was not stored: {failed.Exception?.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return assignment;
    }

    private static Assignment? Read(SqliteCommand command, string experimentKey, string userId)
    {
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$user", userId);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Assignment(experimentKey, userId, reader.GetString(0), SqliteValues.Time(reader.GetInt64(1)))
            : null;
    }
}
