using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteAssignmentStore(SqliteDatabase database) : IAssignmentStore
{
    public async Task<Assignment?> GetAsync(string experimentKey, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT variant_key, assigned_at FROM assignments WHERE experiment_key = $experiment AND user_id = $user
            """;
        command.Parameters.AddWithValue("$experiment", experimentKey);
        command.Parameters.AddWithValue("$user", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Assignment(experimentKey, userId, reader.GetString(0), SqliteValues.Time(reader.GetInt64(1)))
            : null;
    }

    public async Task<Assignment> GetOrAddAsync(Assignment assignment, CancellationToken cancellationToken = default)
    {
        await using (var connection = database.Open())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                INSERT INTO assignments (experiment_key, user_id, variant_key, assigned_at)
                VALUES ($experiment, $user, $variant, $at) ON CONFLICT DO NOTHING
                """;
            command.Parameters.AddWithValue("$experiment", assignment.ExperimentKey);
            command.Parameters.AddWithValue("$user", assignment.UserId);
            command.Parameters.AddWithValue("$variant", assignment.VariantKey);
            command.Parameters.AddWithValue("$at", SqliteValues.Db(assignment.AssignedAt));
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return assignment;
            }
        }
        return (await GetAsync(assignment.ExperimentKey, assignment.UserId, cancellationToken))!;
    }
}
