using Pipeline.Domain.Events;

namespace Pipeline.Stores.Contracts.Events;

public abstract class EventStoreContract : StoreContract
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static InteractionEvent Event(string id, string user = "u1", string item = "i1", DateTimeOffset? at = null) =>
        new(id, user, item, EventTypes.Purchase, 12.5, "s1", "rec-1", at ?? Noon);

    [Fact]
    public async Task Append_ThenGet_ReturnsEveryField()
    {
        var stored = Event("e1");

        Assert.Equal([stored], await Backend.Events.AppendAsync([stored]));

        Assert.Equal(stored, await Backend.Events.GetAsync("e1"));
    }

    [Fact]
    public async Task Append_WithoutValueOrRecommendation_RoundTripsTheNulls()
    {
        var stored = new InteractionEvent("e1", "u1", "i1", EventTypes.View, null, "s1", null, Noon.AddMilliseconds(250));

        await Backend.Events.AppendAsync([stored]);

        Assert.Equal(stored, await Backend.Events.GetAsync("e1"));
    }

    [Fact]
    public async Task Append_WhenEventIdSeenBefore_IgnoresDuplicateAndCountsOnlyNew()
    {
        await Backend.Events.AppendAsync([Event("e1")]);

        var inserted = await Backend.Events.AppendAsync([Event("e1", item: "other"), Event("e2")]);

        Assert.Equal(["e2"], inserted.Select(e => e.EventId));
        Assert.Equal(2, await Backend.Events.CountAsync());
        Assert.Equal("i1", (await Backend.Events.GetAsync("e1"))!.ItemId);
    }

    [Fact]
    public async Task Append_WhenOneBatchRepeatsAnEventId_CountsItOnce()
    {
        var inserted = await Backend.Events.AppendAsync([Event("e1"), Event("e1"), Event("e2")]);

        Assert.Equal(["e1", "e2"], inserted.Select(e => e.EventId).Order());
        Assert.Equal(2, await Backend.Events.CountAsync());
    }

    [Fact]
    public async Task CountByUser_CountsOnlyThatUsersEventsStrictlyBefore()
    {
        await Backend.Events.AppendAsync([
            Event("a", at: Noon.AddHours(-2)), Event("b", at: Noon.AddHours(-1)), Event("c", at: Noon),
            Event("d", user: "u2", at: Noon.AddHours(-3)),
        ]);

        Assert.Equal(2, await Backend.Events.CountByUserAsync("u1", Noon));
        Assert.Equal(0, await Backend.Events.CountByUserAsync("nobody", Noon));
    }

    [Fact]
    public async Task Append_SurvivesReopeningTheDatabase()
    {
        await Backend.Events.AppendAsync([Event("e1")]);

        await Backend.ReopenAsync();

        Assert.NotNull(await Backend.Events.GetAsync("e1"));
    }

    [Fact]
    public async Task Get_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await Backend.Events.GetAsync("missing"));
    }

    [Fact]
    public async Task ListByUser_ReturnsNewestFirstAndOnlyThatUser()
    {
        await Backend.Events.AppendAsync([
            Event("old", item: "a", at: Noon),
            Event("new", item: "b", at: Noon.AddMinutes(5)),
            Event("someone-else", user: "u2", at: Noon.AddMinutes(9)),
        ]);

        var events = await Backend.Events.ListByUserAsync("u1", 10);

        Assert.Equal(["new", "old"], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task ListByUser_ReturnsAtMostTheLimitNewestEvents()
    {
        await Backend.Events.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Event($"e{i}", at: Noon.AddMinutes(i)))]);

        var events = await Backend.Events.ListByUserAsync("u1", 2);

        Assert.Equal(["e4", "e3"], events.Select(e => e.EventId));
    }
}
