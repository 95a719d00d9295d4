using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

internal static class SqliteQueries
{
    /// <summary>Counts a table's rows; the table name is one of ours, never user input.</summary>
    public static async Task<long> CountAsync(SqliteDatabase database, string table, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The row <paramref name="sql"/> selects by its <c>$id</c> key, as <paramref name="read"/> makes it; null when there is none.</summary>
    public static async Task<T?> FindByIdAsync<T>(SqliteDatabase database, string sql, string id, Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken) where T : class
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }
}
