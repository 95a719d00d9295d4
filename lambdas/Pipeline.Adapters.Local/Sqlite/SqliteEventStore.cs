using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteEventStore : IEventStore, IEventReplaySource
{
    private readonly SqliteDatabase _database;

    public SqliteEventStore(SqliteDatabase database)
    {
        _database = database;
        _ = database.StartLoadingUserEvents();
    }

    private const string Columns = "event_id, user_id, item_id, event_type, event_value, session_id, recommendation_id, timestamp";

    // One row per execution of a statement the writer keeps prepared. (A multi-row INSERT was slower: binding
    // by name looks each of its 800 parameters up among all 800, so binding grows with the square of the rows.)
    private const string InsertSql = $"""
        INSERT INTO events ({Columns}) VALUES ($id, $user, $item, $type, $value, $session, $recommendation, $timestamp)
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>
    /// Completes once the events are committed (group commit with other writers); the user index learns them before
    /// the caller resumes, so a client reads its own events at once.
    /// </summary>
    public async Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default)
    {
        var inserted = await _database.Writes.EnqueueAsync((_, transaction) => Insert(transaction, events), Index);
        return inserted.ConvertAll(row => row.Event);
    }

    private void Index(List<(InteractionEvent Event, long Seq)> inserted)
    {
        if (_database.UserEventsIfLoaded is not { } index)
        {
            return; // it will read these rows when it is built
        }
        foreach (var (e, seq) in inserted)
        {
            index.Add(e.UserId, SqliteValues.Db(e.Timestamp), seq);
        }
    }

    private List<(InteractionEvent Event, long Seq)> Insert(SqliteTransaction transaction, IReadOnlyCollection<InteractionEvent> events)
    {
        var command = _database.Writes.Command(InsertSql, transaction);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var item = command.Parameters.Add("$item", SqliteType.Text);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        var session = command.Parameters.Add("$session", SqliteType.Text);
        var recommendation = command.Parameters.Add("$recommendation", SqliteType.Text);
        var timestamp = command.Parameters.Add("$timestamp", SqliteType.Integer);
        var inserted = new List<(InteractionEvent, long)>(events.Count);
        foreach (var e in events)
        {
            id.Value = e.EventId;
            user.Value = e.UserId;
            item.Value = e.ItemId;
            type.Value = e.EventType;
            value.Value = SqliteValues.Db(e.EventValue);
            session.Value = e.SessionId;
            recommendation.Value = SqliteValues.Db(e.RecommendationId);
            timestamp.Value = SqliteValues.Db(e.Timestamp);
            if (command.ExecuteNonQuery() == 1)
            {
                inserted.Add((e, SQLitePCL.raw.sqlite3_last_insert_rowid(transaction.Connection!.Handle)));
            }
        }
        return inserted;
    }

    public async Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM events WHERE event_id = $p", eventId, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default)
    {
        var newest = _database.UserEvents.Newest(userId, limit);
        var events = new InteractionEvent[newest.Length];
        for (var i = 0; i < newest.Length; i++)
        {
            events[i] = _database.Read($"SELECT {Columns} FROM events WHERE seq = $seq", command =>
            {
                command.Parameters.AddWithValue("$seq", newest[i]);
                using var reader = command.ExecuteReader();
                reader.Read();
                return Read(reader);
            });
        }
        return Task.FromResult<IReadOnlyList<InteractionEvent>>(events);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        SqliteQueries.CountAsync(_database, "events", cancellationToken);

    public Task<long> CountByUserAsync(string userId, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Task.FromResult(_database.UserEvents.CountBefore(userId, SqliteValues.Db(before)));

    /// <summary>
    /// In arrival order (seq is the rowid: a table scan, no sort, rows read as they are consumed), the order the learners
    /// saw them live; no index on time, because every index costs each event on the ingestion path and this runs once
    /// per start.
    /// </summary>
    public async IAsyncEnumerable<InteractionEvent> ReadAfterAsync(DateTimeOffset after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = _database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events WHERE timestamp > $after ORDER BY seq";
        command.Parameters.AddWithValue("$after", after == DateTimeOffset.MinValue ? long.MinValue : SqliteValues.Db(after));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return Read(reader);
    }

    private async Task<IReadOnlyList<InteractionEvent>> QueryAsync(string sql, string parameter, CancellationToken cancellationToken)
    {
        await using var connection = _database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<InteractionEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(Read(reader));
        }
        return events;
    }

    private static InteractionEvent Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetDouble(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        SqliteValues.Time(reader.GetInt64(7)));
}
