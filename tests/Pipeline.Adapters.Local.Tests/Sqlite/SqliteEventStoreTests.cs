using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Events;
using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Events;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteEventStoreTests : EventStoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());

    private static InteractionEvent View(string id, string user = "u1") => new(id, user, "i1", EventTypes.View, null, "s1", null, Noon);

    /// <summary>One prepared statement serves the whole batch: duplicates of earlier calls and within the batch are skipped.</summary>
    [Fact]
    public async Task Append_LargeBatchWithEarlierAndRepeatedIds_StoresEveryNewRowOnce()
    {
        await Backend.Events.AppendAsync([View("e5"), View("e150")]);
        var batch = Enumerable.Range(0, 250).Select(i => View($"e{i}", $"u{i % 7}")).Append(View("e120")).ToArray();

        var inserted = await Backend.Events.AppendAsync(batch);

        Assert.Equal(248, inserted.Count);
        Assert.DoesNotContain(inserted, e => e.EventId is "e5" or "e150");
        Assert.Equal(batch.Take(250).Where(e => e.EventId is not ("e5" or "e150")), inserted);
        Assert.Equal(250, await Backend.Events.CountAsync());
    }

    [Fact]
    public async Task Append_WhenManyCallersShareGroupCommits_StoresEachEventOnce()
    {
        var callers = Enumerable.Range(0, 20).Select(c =>
            Task.Run(() => Backend.Events.AppendAsync([.. Enumerable.Range(0, 30).Select(i => View($"e{(c * 30 + i) % 450}", $"u{c}"))])));

        var inserted = await Task.WhenAll(callers);

        Assert.Equal(450, inserted.Sum(i => i.Count));
        Assert.Equal(450, inserted.SelectMany(i => i).Select(e => e.EventId).Distinct().Count());
        Assert.Equal(450, await Backend.Events.CountAsync());
    }

    [Fact]
    public async Task ReadAfter_AfterReopen_StreamsLaterEventsOnceInArrivalOrder()
    {
        InteractionEvent At(string id, int minutes) => View(id) with { Timestamp = Noon.AddMinutes(minutes) };
        await Backend.Events.AppendAsync([At("late", 3), At("tie-first", 2), At("early", -1), At("at-cutoff", 0)]);
        await Backend.Events.AppendAsync([At("tie-second", 2), At("late", 9)]);
        await Backend.ReopenAsync();

        var replayed = new List<string>();
        await foreach (var e in ((IEventReplaySource)Backend.Events).ReadAfterAsync(Noon))
            replayed.Add(e.EventId);

        Assert.Equal(["late", "tie-first", "tie-second"], replayed);
    }

    [Fact]
    public async Task ListByUser_AfterReopen_RebuildsTheUserIndexFromTheLog()
    {
        InteractionEvent At(string id, string user, int minutes) => View(id, user) with { Timestamp = Noon.AddMinutes(minutes) };
        await Backend.Events.AppendAsync([At("b", "u1", 5), At("other", "u2", 7), At("a", "u1", -3)]);
        await Backend.Events.AppendAsync([At("c", "u1", 1), At("tie", "u1", 5)]);
        await Backend.ReopenAsync();

        var newest = await Backend.Events.ListByUserAsync("u1", 3);

        Assert.Equal(["tie", "b", "c"], newest.Select(e => e.EventId));
        Assert.Equal(2, await Backend.Events.CountByUserAsync("u1", Noon.AddMinutes(2)));
        Assert.Equal(0, await Backend.Events.CountByUserAsync("u2", Noon.AddMinutes(7)));
    }

    /// <summary>Schema 1 indexed events by user inside SQLite; opening such a file drops that index and moves on.</summary>
    [Fact]
    public async Task Open_WhenTheFileHasSchemaOne_DropsTheUserIndexAndKeepsTheEvents()
    {
        using var db = new TemporaryDatabase();
        await new SqliteEventStore(db.Database).AppendAsync([View("kept", "u9")]);
        db.Database.Dispose();
        SqliteDatabase.ReleaseAll();
        await using (var connection = new SqliteConnection($"Data Source={db.FilePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE INDEX events_by_user ON events (user_id, timestamp); UPDATE schema_version SET version = 1;";
            command.ExecuteNonQuery();
        }

        var reopened = db.Reopen();

        await using var check = reopened.OpenForReading();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_by_user'), (SELECT version FROM schema_version)";
        using var reader = query.ExecuteReader();
        reader.Read();
        Assert.Equal(0, reader.GetInt64(0));
        Assert.Equal(4, reader.GetInt64(1)); // migrated to the current schema
        Assert.Equal(["kept"], (await new SqliteEventStore(reopened).ListByUserAsync("u9", 5)).Select(e => e.EventId));
    }
}
