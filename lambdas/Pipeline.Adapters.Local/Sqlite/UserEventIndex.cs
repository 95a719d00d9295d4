using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>
/// Which rows of the events log belong to each user, by time: the local stand-in for the AWS table's by-user index,
/// held in memory and rebuilt from the log when the database opens. A SQLite index keyed by user would put every
/// event on a random page, so each group commit would rewrite thousands of pages into the WAL: with it, ingestion
/// measured 5,000 events/s; without it, 68,000 (README, "Measuring"). 16 bytes an event.
/// </summary>
internal sealed class UserEventIndex
{
    private readonly ConcurrentDictionary<string, Timeline> _users = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the whole log in arrival order through SQLite's own API: the ADO.NET reader would allocate a string per
    /// row, and this runs on millions of rows at every start (3.4 million: about 1 s).
    /// </summary>
    public static UserEventIndex Load(SqliteConnection connection)
    {
        var index = new UserEventIndex();
        var byName = index._users.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> name = stackalloc char[512];
        var rc = raw.sqlite3_prepare_v2(connection.Handle, "SELECT seq, user_id, timestamp FROM events ORDER BY seq", out var statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        using (statement)
        {
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var utf8 = raw.sqlite3_column_blob(statement, 1);
                var user = utf8.Length <= name.Length / 2
                    ? name[..Encoding.UTF8.GetChars(utf8, name)]
                    : Encoding.UTF8.GetString(utf8).AsSpan();
                if (!byName.TryGetValue(user, out var timeline))
                {
                    timeline = new Timeline();
                    byName.TryAdd(user, timeline);
                }
                timeline.Add(new Entry(raw.sqlite3_column_int64(statement, 2), raw.sqlite3_column_int64(statement, 0)));
            }
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }
        }
        return index;
    }

    /// <summary>Called in commit order by the only writer; readers may run at the same time.</summary>
    public void Add(string userId, long timestamp, long seq) =>
        _users.GetOrAdd(userId, static _ => new Timeline()).Add(new Entry(timestamp, seq));

    /// <summary>The rows of the user's newest <paramref name="limit"/> events, newest first (by time, then arrival).</summary>
    public long[] Newest(string userId, int limit) =>
        _users.TryGetValue(userId, out var timeline) ? timeline.Newest(limit) : [];

    public long CountBefore(string userId, long timestamp) =>
        _users.TryGetValue(userId, out var timeline) ? timeline.CountBefore(timestamp) : 0;

    private readonly record struct Entry(long Timestamp, long Seq) : IComparable<Entry>
    {
        public int CompareTo(Entry other) =>
            Timestamp != other.Timestamp ? Timestamp.CompareTo(other.Timestamp) : Seq.CompareTo(other.Seq);
    }

    /// <summary>One user's entries sorted by (time, arrival); events mostly arrive in time order, so adding appends.</summary>
    private sealed class Timeline
    {
        private Entry[] _entries = new Entry[4];
        private int _count;

        public void Add(Entry entry)
        {
            lock (this)
            {
                if (_count == _entries.Length)
                {
                    Array.Resize(ref _entries, _count * 2);
                }
                var at = _count;
                if (_count > 0 && _entries[_count - 1].CompareTo(entry) > 0)
                {
                    at = Array.BinarySearch(_entries, 0, _count, entry);
                    at = at < 0 ? ~at : at;
                    Array.Copy(_entries, at, _entries, at + 1, _count - at);
                }
                _entries[at] = entry;
                _count++;
            }
        }

        public long[] Newest(int limit)
        {
            lock (this)
            {
                var take = Math.Min(limit, _count);
                var seqs = new long[take];
                for (var i = 0; i < take; i++)
                {
                    seqs[i] = _entries[_count - 1 - i].Seq;
                }
                return seqs;
            }
        }

        public long CountBefore(long timestamp)
        {
            lock (this)
            {
                // The first entry at or after the time: (timestamp, long.MinValue) sorts before every entry of that time.
                var at = Array.BinarySearch(_entries, 0, _count, new Entry(timestamp, long.MinValue));
                return at < 0 ? ~at : at;
            }
        }
    }
}
