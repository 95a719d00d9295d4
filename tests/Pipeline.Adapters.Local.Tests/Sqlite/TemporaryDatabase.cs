using Pipeline.Adapters.Local.Sqlite;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

/// <summary>A real SQLite file in a fresh temporary folder, deleted after the test.</summary>
public sealed class TemporaryDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-sqlite-").FullName;

    public TemporaryDatabase() => Database = new SqliteDatabase(FilePath);

    public string FilePath => Path.Combine(_folder, "pipeline.db");

    public SqliteDatabase Database { get; private set; }

    /// <summary>Drops every open connection and opens the file again, as a restarted process would.</summary>
    public SqliteDatabase Reopen()
    {
        Database.Dispose();
        SqliteDatabase.ReleaseAll();
        Database = new SqliteDatabase(FilePath);
        return Database;
    }

    public void Dispose()
    {
        Database.Dispose();
        SqliteDatabase.ReleaseAll();
        Directory.Delete(_folder, recursive: true);
    }
}
