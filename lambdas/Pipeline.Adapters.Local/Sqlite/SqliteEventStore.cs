using Microsoft.Data.Sqlite;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    private const string Columns = "event_id, user_id, item_id, event_type, event_value, session_id, recommendation_id, timestamp";

    // Rows per INSERT statement: a batch request is one statement instead of a hundred (8 parameters a row,
    // far below SQLite's 32,766 limit).
    private const int RowsPerStatement = 100;
    private static readonly string[] InsertSql = [.. Enumerable.Range(0, RowsPerStatement + 1).Select(InsertStatement)];
    private static readonly string[] Names = [.. Enumerable.Range(0, RowsPerStatement).SelectMany(r => "iumtvsrw".Select(c => $"${c}{r}"))];

    /// <summary>Completes once the events are committed (group commit with other writers).</summary>
    public Task<IReadOnlyList<InteractionEvent>> AppendAsync(IReadOnlyCollection<InteractionEvent> events, CancellationToken cancellationToken = default)
    {
        var rows = events as IReadOnlyList<InteractionEvent> ?? [.. events];
        return database.Writes.EnqueueAsync((connection, transaction) => Insert(transaction, rows));
    }

    private IReadOnlyList<InteractionEvent> Insert(SqliteTransaction transaction, IReadOnlyList<InteractionEvent> events)
    {
        var inserted = new List<InteractionEvent>(events.Count);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        for (var first = 0; first < events.Count; first += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, events.Count - first);
            var command = database.Writes.Command(InsertSql[count], transaction);
            for (var r = 0; r < count; r++)
            {
                var e = events[first + r];
                var parameters = command.Parameters;
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 0], SqliteType = SqliteType.Text, Value = e.EventId });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 1], SqliteType = SqliteType.Text, Value = e.UserId });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 2], SqliteType = SqliteType.Text, Value = e.ItemId });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 3], SqliteType = SqliteType.Text, Value = e.EventType });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 4], SqliteType = SqliteType.Real, Value = SqliteValues.Db(e.EventValue) });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 5], SqliteType = SqliteType.Text, Value = e.SessionId });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 6], SqliteType = SqliteType.Text, Value = SqliteValues.Db(e.RecommendationId) });
                parameters.Add(new SqliteParameter { ParameterName = Names[r * 8 + 7], SqliteType = SqliteType.Integer, Value = SqliteValues.Db(e.Timestamp) });
            }
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    stored.Add(reader.GetString(0));
                }
            }
            for (var r = 0; r < count; r++)
            {
                var e = events[first + r];
                // Remove, so that a second event with the same id in this batch counts as the duplicate it is.
                if (stored.Remove(e.EventId))
                {
                    inserted.Add(e);
                }
            }
        }
        return inserted;
    }

    private static string InsertStatement(int rows) => rows == 0 ? "" :
        $"INSERT INTO events ({Columns}) VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(r => $"($i{r}, $u{r}, $m{r}, $t{r}, $v{r}, $s{r}, $r{r}, $w{r})")) +
        " ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

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
            events.Add(new InteractionEvent(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                SqliteValues.Time(reader.GetInt64(7))));
        }
        return events;
    }
}
