using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore, IEventReplaySource
{
    private const string Columns = "event_id, user_id, item_id, event_type, event_value, session_id, recommendation_id, timestamp";

    // One row per execution of a statement the writer keeps prepared. (A multi-row INSERT was slower: binding
    // by name looks each of its 800 parameters up among all 800, so binding grows with the square of the rows.)
    private const string InsertSql = $"""
        INSERT INTO events ({Columns}) VALUES ($id, $user, $item, $type, $value, $session, $recommendation, $timestamp)
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>Completes once the events are committed (group commit with other writers).</summary>
    public Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default) =>
        database.Writes.EnqueueAsync((_, transaction) => Insert(transaction, events));

    private IReadOnlyList<InteractionEvent> Insert(SqliteTransaction transaction, IReadOnlyCollection<InteractionEvent> events)
    {
        var command = database.Writes.Command(InsertSql, transaction);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var item = command.Parameters.Add("$item", SqliteType.Text);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        var session = command.Parameters.Add("$session", SqliteType.Text);
        var recommendation = command.Parameters.Add("$recommendation", SqliteType.Text);
        var timestamp = command.Parameters.Add("$timestamp", SqliteType.Integer);
        var inserted = new List<InteractionEvent>(events.Count);
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
                inserted.Add(e);
            }
        }
        return inserted;
    }

    public async Task<InteractionEvent?> GetAsync(string eventId, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM events WHERE event_id = $p", eventId, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<InteractionEvent>> ListByUserAsync(string userId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM events WHERE user_id = $p ORDER BY timestamp DESC, seq DESC LIMIT {limit}", userId, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        SqliteQueries.CountAsync(database, "events", cancellationToken);

    public async Task<long> CountByUserAsync(string userId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events WHERE user_id = $user AND timestamp < $before";
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$before", SqliteValues.Db(before));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// In arrival order (seq is the rowid: a table scan, no sort, rows read as they are consumed), the order the learners
    /// saw them live; no index on time, because every index costs each event on the ingestion path and this runs once
    /// per start.
    /// </summary>
    public async IAsyncEnumerable<InteractionEvent> ReadAfterAsync(DateTimeOffset after, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.OpenForReading();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events WHERE timestamp > $after ORDER BY seq";
        command.Parameters.AddWithValue("$after", after == DateTimeOffset.MinValue ? long.MinValue : SqliteValues.Db(after));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return Read(reader);
    }

    private async Task<IReadOnlyList<InteractionEvent>> QueryAsync(string sql, string parameter, CancellationToken cancellationToken)
    {
        await using var connection = database.OpenForReading();
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
