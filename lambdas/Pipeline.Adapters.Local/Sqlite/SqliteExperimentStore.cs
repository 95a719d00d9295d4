using Microsoft.Data.Sqlite;
using System.Text.Json;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>Experiments as JSON documents, as the DynamoDB table keeps them as items.</summary>
/// <remarks>
/// Reads always go to the file: other processes and writers (the training workflow's experiments table) change it too.
/// Serving reads through a short-lived cache the host adds (CachedExperimentStore).
/// </remarks>
public sealed class SqliteExperimentStore(SqliteDatabase database) : IExperimentStore
{
    public async Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default) =>
        await database.Writes.EnqueueAsync((connection, transaction) => Write(connection, transaction, """
            INSERT INTO experiments (experiment_key, document) VALUES ($key, $document)
            ON CONFLICT (experiment_key) DO UPDATE SET document = excluded.document
            """, experiment));

    public Task<bool> CreateAsync(Experiment experiment, CancellationToken cancellationToken = default) =>
        database.Writes.EnqueueAsync((connection, transaction) => Write(connection, transaction,
            "INSERT INTO experiments (experiment_key, document) VALUES ($key, $document) ON CONFLICT (experiment_key) DO NOTHING", experiment) == 1);

    // Read, compare and write in one transaction of the single writer: no other write of this process comes in
    // between, and another process's write makes the transaction fail rather than be overwritten. Documents are
    // compared as this store would write them, so a document written by another serializer still compares by value.
    public Task<bool> ReplaceAsync(Experiment current, Experiment updated, CancellationToken cancellationToken = default) =>
        database.Writes.EnqueueAsync((connection, transaction) =>
        {
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT document FROM experiments WHERE experiment_key = $key";
            read.Parameters.AddWithValue("$key", current.Key);
            if (read.ExecuteScalar() is not string stored
                || Serialize(JsonSerializer.Deserialize(stored, LocalJsonContext.Default.Experiment)!) != Serialize(current))
            {
                return false;
            }
            return Write(connection, transaction, "UPDATE experiments SET document = $document WHERE experiment_key = $key", updated) == 1;
        });

    /// <summary>Runs <paramref name="sql"/> with $key and $document bound to the experiment; the rows it changed.</summary>
    private static int Write(SqliteConnection connection, SqliteTransaction transaction, string sql, Experiment experiment)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", experiment.Key);
        command.Parameters.AddWithValue("$document", Serialize(experiment));
        return command.ExecuteNonQuery();
    }

    private static string Serialize(Experiment experiment) => JsonSerializer.Serialize(experiment, LocalJsonContext.Default.Experiment);

    public async Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync("SELECT document FROM experiments WHERE experiment_key = $key", key, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT document FROM experiments ORDER BY experiment_key", null, cancellationToken);

    private async Task<IReadOnlyList<Experiment>> QueryAsync(string sql, string? key, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (key is not null)
        {
            command.Parameters.AddWithValue("$key", key);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var experiments = new List<Experiment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            experiments.Add(JsonSerializer.Deserialize(reader.GetString(0), LocalJsonContext.Default.Experiment)!);
        }
        return experiments;
    }
}
