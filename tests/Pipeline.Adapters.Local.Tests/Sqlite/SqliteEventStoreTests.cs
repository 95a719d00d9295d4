using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteEventStoreTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static InteractionEvent Event(string id, string user = "u1", string item = "i1", DateTimeOffset? at = null) =>
        new(id, user, item, EventTypes.Purchase, 12.5, "s1", "rec-1", at ?? Noon);

    [Fact]
    public async Task Append_ThenGet_ReturnsEveryField()
    {
        var store = new SqliteEventStore(_db.Database);
        var stored = Event("e1");

        Assert.Equal([stored], await store.AppendAsync([stored]));

        Assert.Equal(stored, await store.GetAsync("e1"));
    }

    [Fact]
    public async Task Append_WhenEventIdSeenBefore_IgnoresDuplicateAndCountsOnlyNew()
    {
        var store = new SqliteEventStore(_db.Database);
        await store.AppendAsync([Event("e1")]);

        var inserted = await store.AppendAsync([Event("e1", item: "other"), Event("e2")]);

        Assert.Equal(["e2"], inserted.Select(e => e.EventId));
        Assert.Equal(2, await store.CountAsync());
        Assert.Equal("i1", (await store.GetAsync("e1"))!.ItemId);
    }

    [Fact]
    public async Task Append_SurvivesReopeningTheDatabase()
    {
        await new SqliteEventStore(_db.Database).AppendAsync([Event("e1")]);

        var reopened = new SqliteEventStore(_db.Reopen());

        Assert.NotNull(await reopened.GetAsync("e1"));
    }

    [Fact]
    public async Task ListByUser_ReturnsNewestFirstAndOnlyThatUser()
    {
        var store = new SqliteEventStore(_db.Database);
        await store.AppendAsync([
            Event("old", item: "a", at: Noon),
            Event("new", item: "b", at: Noon.AddMinutes(5)),
            Event("someone-else", user: "u2", at: Noon.AddMinutes(9)),
        ]);

        var events = await store.ListByUserAsync("u1", 10);

        Assert.Equal(["new", "old"], events.Select(e => e.EventId));
    }
}
