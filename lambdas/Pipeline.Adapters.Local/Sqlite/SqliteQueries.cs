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
}
