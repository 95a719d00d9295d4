namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>Conversions between domain values and SQLite columns (times as epoch milliseconds).</summary>
internal static class SqliteValues
{
    public static object Db(string? value) => value is null ? DBNull.Value : value;

    public static object Db(double? value) => value is null ? DBNull.Value : value.Value;

    public static long Db(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object Db(DateTimeOffset? value) => value is null ? DBNull.Value : value.Value.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds);
}
