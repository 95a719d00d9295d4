using System.Collections.Concurrent;
using System.Text.Json;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteExposureStore(SqliteDatabase database) : IExposureStore
{
    // Exposures queued but not yet committed: reads see them without waiting for the writer.
    private readonly ConcurrentDictionary<string, Exposure> _pending = new(StringComparer.Ordinal);

    /// <summary>
    /// Queues the exposure and returns at once: serving does not wait for the disk. It is committed with
    /// the next group commit (milliseconds later), so a crash can lose only the exposures of that instant.
    /// Until then <see cref="GetAsync"/> answers from memory, so a conversion right after serving finds it.
    /// </summary>
    public Task AppendAsync(Exposure exposure, CancellationToken cancellationToken = default)
    {
        _pending[exposure.RecommendationId] = exposure;
        var committed = database.Writes.EnqueueAsync((connection, transaction) =>
        {
            var command = database.Writes.Command("""
                INSERT INTO exposures (recommendation_id, experiment_key, variant_key, user_id, recipe, served_by, item_ids, timestamp)
                VALUES ($id, $experiment, $variant, $user, $recipe, $servedBy, $items, $timestamp)
                """, transaction);
            command.Parameters.AddWithValue("$id", exposure.RecommendationId);
            command.Parameters.AddWithValue("$experiment", exposure.ExperimentKey);
            command.Parameters.AddWithValue("$variant", exposure.VariantKey);
            command.Parameters.AddWithValue("$user", exposure.UserId);
            command.Parameters.AddWithValue("$recipe", exposure.Recipe);
            command.Parameters.AddWithValue("$servedBy", exposure.ServedBy);
            command.Parameters.AddWithValue("$items", JsonSerializer.Serialize(exposure.ItemIds.ToArray(), LocalJsonContext.Default.StringArray));
            command.Parameters.AddWithValue("$timestamp", SqliteValues.Db(exposure.Timestamp));
            return command.ExecuteNonQuery();
        });
        _ = committed.ContinueWith(_ => _pending.TryRemove(exposure.RecommendationId, out var _),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task<Exposure?> GetAsync(string recommendationId, CancellationToken cancellationToken = default)
    {
        if (_pending.TryGetValue(recommendationId, out var queued))
        {
            return Task.FromResult<Exposure?>(queued);
        }
        return Task.FromResult(database.Read("""
            SELECT experiment_key, variant_key, user_id, recipe, served_by, item_ids, timestamp
            FROM exposures WHERE recommendation_id = $id
            """, command =>
        {
            command.Parameters.AddWithValue("$id", recommendationId);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new Exposure(
                    recommendationId,
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    JsonSerializer.Deserialize(reader.GetString(5), LocalJsonContext.Default.StringArray)!,
                    SqliteValues.Time(reader.GetInt64(6)))
                : null;
        }));
    }
}
