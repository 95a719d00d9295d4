using System.Text.Json;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteExposureStore(SqliteDatabase database) : IExposureStore
{
    public async Task AppendAsync(Exposure exposure, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO exposures (recommendation_id, experiment_key, variant_key, user_id, recipe, served_by, item_ids, timestamp)
            VALUES ($id, $experiment, $variant, $user, $recipe, $servedBy, $items, $timestamp)
            """;
        command.Parameters.AddWithValue("$id", exposure.RecommendationId);
        command.Parameters.AddWithValue("$experiment", exposure.ExperimentKey);
        command.Parameters.AddWithValue("$variant", exposure.VariantKey);
        command.Parameters.AddWithValue("$user", exposure.UserId);
        command.Parameters.AddWithValue("$recipe", exposure.Recipe);
        command.Parameters.AddWithValue("$servedBy", exposure.ServedBy);
        command.Parameters.AddWithValue("$items", JsonSerializer.Serialize(exposure.ItemIds.ToArray(), LocalJsonContext.Default.StringArray));
        command.Parameters.AddWithValue("$timestamp", SqliteValues.Db(exposure.Timestamp));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Exposure?> GetAsync(string recommendationId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT experiment_key, variant_key, user_id, recipe, served_by, item_ids, timestamp
            FROM exposures WHERE recommendation_id = $id
            """;
        command.Parameters.AddWithValue("$id", recommendationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new Exposure(
            recommendationId,
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            JsonSerializer.Deserialize(reader.GetString(5), LocalJsonContext.Default.StringArray)!,
            SqliteValues.Time(reader.GetInt64(6)));
    }
}
