using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// The rows of a table keyed by (experiment, user), held in memory for the whole file: read once, then kept current by
/// this process's commits (it is the file's only writer). While it holds every row, a miss means "no row" and costs
/// the serving path no query — a new user otherwise cost a SQLite read per table on their first request. Past
/// <see cref="Bound"/> rows it is cleared and becomes a plain cache: a miss then has to read the file.
/// </summary>
internal sealed class ExperimentUserRows<T> where T : class
{
    public const int Bound = 2_000_000;

    private readonly ConcurrentDictionary<(string Experiment, string User), T> _rows;
    private int _count;
    private volatile bool _complete;

    private ExperimentUserRows(int capacity, bool complete)
    {
        _rows = new ConcurrentDictionary<(string, string), T>(Environment.ProcessorCount, Math.Max(capacity, 31));
        _complete = complete;
    }

    /// <summary>Loads every row when there are at most <see cref="Bound"/>; <paramref name="read"/> maps a row of <paramref name="selectAll"/>.</summary>
    public static ExperimentUserRows<T> Load(SqliteDatabase database, string table, string selectAll,
        Func<SqliteDataReader, (string Experiment, string User, T Row)> read)
    {
        using var connection = database.OpenForReading();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        var count = (long)command.ExecuteScalar()!;
        if (count > Bound)
        {
            return new ExperimentUserRows<T>(0, complete: false);
        }
        var rows = new ExperimentUserRows<T>((int)count * 2, complete: true);
        command.CommandText = selectAll;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (experiment, user, row) = read(reader);
            rows.Remember(experiment, user, row);
        }
        return rows;
    }

    /// <summary>True when the answer is certain: the row, or no row at all while every row is held.</summary>
    public bool TryGet(string experiment, string user, out T? row) =>
        _rows.TryGetValue((experiment, user), out row) || _complete;

    /// <summary>The row already held, else <paramref name="row"/>, now held: concurrent first writers agree on one.</summary>
    public T GetOrAdd(string experiment, string user, T row)
    {
        var held = _rows.GetOrAdd((experiment, user), row);
        if (ReferenceEquals(held, row) && Interlocked.Increment(ref _count) > Bound)
        {
            Forget();
        }
        return held;
    }

    /// <param name="replace">False for a row read from the file: a row committed while that read ran is newer.</param>
    public void Remember(string experiment, string user, T row, bool replace = true)
    {
        // A counter rather than _rows.Count, which takes every lock of the dictionary.
        if (_rows.TryAdd((experiment, user), row))
        {
            if (Interlocked.Increment(ref _count) > Bound)
            {
                Forget();
            }
            return;
        }
        if (replace)
        {
            _rows[(experiment, user)] = row;
        }
    }

    private void Forget()
    {
        _complete = false;
        _rows.Clear();
        Interlocked.Exchange(ref _count, 0);
    }
}
