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
    private readonly ThreadLocal<ThreadReader> _readers;
    private int _disposed;
    private volatile UserEventIndex? _userEvents;
    private Task? _loadingUserEvents;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> _shared = new();

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
        _readers = new ThreadLocal<ThreadReader>(() => new ThreadReader(OpenForReading()), trackAllValues: true);
        SqliteSchema.Apply(writer);
        Writes = new SqliteWriteQueue(writer);
    }

    public string Path { get; }

    /// <summary>The only way rows are written: group-committed transactions on one connection.</summary>
    public SqliteWriteQueue Writes { get; }

    /// <summary>
    /// The by-user index of the events table, kept current by the event store's commits; the first use waits for it to
    /// be built (<see cref="StartLoadingUserEvents"/> starts that early).
    /// </summary>
    internal UserEventIndex UserEvents
    {
        get
        {
            if (_userEvents is { } ready)
            {
                return ready;
            }
            StartLoadingUserEvents().GetAwaiter().GetResult();
            return _userEvents!;
        }
    }

    /// <summary>The index if built, for the writer's commit callbacks: rows committed before it was built are in it already.</summary>
    internal UserEventIndex? UserEventsIfLoaded => _userEvents;

    /// <summary>
    /// Builds the index on the writer, between two transactions, so that no commit falls between the snapshot it reads
    /// and the first commit it learns from. Only files the event store opens pay for it.
    /// </summary>
    internal Task StartLoadingUserEvents() => LazyInitializer.EnsureInitialized(ref _loadingUserEvents, () =>
        Writes.EnqueueAsync((connection, _) => _userEvents ??= UserEventIndex.Load(connection)));

    /// <summary>
    /// Runs <paramref name="query"/> on the calling thread's own read connection, its statement prepared once per
    /// thread: the serving path reads on every request, and opening a pooled connection each time contends on the
    /// pool's lock (a sixth of the threads' time under load). <paramref name="query"/> binds, executes and reads
    /// synchronously; it must not keep the reader.
    /// </summary>
    public T Read<T>(string sql, Func<SqliteCommand, T> query)
    {
        var own = _readers.Value!;
        if (own.Busy)
        {
            // Re-entered on this thread: its connection is in use.
            using var connection = OpenForReading();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return query(command);
        }
        own.Busy = true;
        try
        {
            return query(own.Command(sql));
        }
        finally
        {
            own.Busy = false;
        }
    }

    /// <summary>
    /// In-memory state a store keeps for the whole file, made on first use and shared by every instance of that store
    /// (they must agree: this process is the file's only writer, and its commits keep the state current).
    /// </summary>
    internal T Shared<T>(Func<SqliteDatabase, T> create) where T : class =>
        (T)_shared.GetOrAdd(typeof(T), static (_, state) => state.create(state.database), (create, database: this));

    /// <summary>A pooled connection for reads (WAL lets them run beside the writer).</summary>
    public SqliteConnection OpenForReading()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Releases pooled connections so the file can be moved or deleted (tests, shutdown).</summary>
    public static void ReleaseAll() => SqliteConnection.ClearAllPools();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var reader in _readers.Values)
        {
            reader.Dispose();
        }
        _readers.Dispose();
        await Writes.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class ThreadReader(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public bool Busy { get; set; }

        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }
            command.Parameters.Clear();
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
            connection.Dispose();
        }
    }
}
