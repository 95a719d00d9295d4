using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// The local stand-in for the DynamoDB tables: one SQLite file in WAL mode. Reads use pooled connections
/// and run concurrently; writes go through <see cref="Writes"/>, one connection with synchronous=FULL,
/// because an acknowledged event must survive a crash or a power loss.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
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

        var writer = new SqliteConnection(_connectionString);
        writer.Open();
        using (var pragma = writer.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            pragma.ExecuteNonQuery();
        }
        SqliteSchema.Apply(writer);
        UserEvents = UserEventIndex.Load(writer);
        Writes = new SqliteWriteQueue(writer);
    }

    public string Path { get; }

    /// <summary>The only way rows are written: group-committed transactions on one connection.</summary>
    public SqliteWriteQueue Writes { get; }

    /// <summary>The by-user index of the events table, kept current by the event store's commits.</summary>
    internal UserEventIndex UserEvents { get; }

    /// <summary>A pooled connection for reads (WAL lets them run beside the writer).</summary>
    public SqliteConnection OpenForReading()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Releases pooled connections so the file can be moved or deleted (tests, shutdown).</summary>
    public static void ReleaseAll() => SqliteConnection.ClearAllPools();

    public async ValueTask DisposeAsync() => await Writes.DisposeAsync();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
