using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// The local stand-in for the DynamoDB tables: one SQLite file in WAL mode. Every write commits with
/// synchronous=FULL because an acknowledged event must survive a crash or power loss.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        SqliteSchema.Apply(connection);
    }

    public string Path { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Releases pooled connections so the file can be moved or deleted (tests, shutdown).</summary>
    public static void ReleaseAll() => SqliteConnection.ClearAllPools();
}
