using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Catalog;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    public Task UpsertAsync(IReadOnlyCollection<User> users, CancellationToken cancellationToken = default) =>
        database.Writes.EnqueueAsync((connection, transaction) =>
        {
            Upsert(connection, transaction, users);
            return 0;
        });

    private static void Upsert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<User> users)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO users (user_id, attributes) VALUES ($id, $attributes)
            ON CONFLICT (user_id) DO UPDATE SET attributes = excluded.attributes
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var attributes = command.Parameters.Add("$attributes", SqliteType.Text);
        foreach (var user in users)
        {
            id.Value = user.UserId;
            attributes.Value = JsonSerializer.Serialize(
                new Dictionary<string, string>(user.Attributes), LocalJsonContext.Default.DictionaryStringString);
            command.ExecuteNonQuery();
        }
    }

    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT user_id, attributes FROM users WHERE user_id = $id";
        command.Parameters.AddWithValue("$id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var attributes = JsonSerializer.Deserialize(reader.GetString(1), LocalJsonContext.Default.DictionaryStringString)!;
        return new User(reader.GetString(0), attributes);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        SqliteQueries.CountAsync(database, "users", cancellationToken);
}
