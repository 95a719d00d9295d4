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

    public Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        SqliteQueries.FindByIdAsync(database, "SELECT user_id, attributes FROM users WHERE user_id = $id", userId,
            reader => new User(reader.GetString(0),
                JsonSerializer.Deserialize(reader.GetString(1), LocalJsonContext.Default.DictionaryStringString)!),
            cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        SqliteQueries.CountAsync(database, "users", cancellationToken);
}
