using Pipeline.Domain.Catalog;

namespace Pipeline.Stores.Contracts.Catalog;

public abstract class CatalogStoreContract : StoreContract
{
    [Fact]
    public async Task ItemUpsert_WhenItemExists_ReplacesItsMetadata()
    {
        await Backend.Items.UpsertAsync([new Item("i1", "books", 10, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000))]);

        await Backend.Items.UpsertAsync([new Item("i1", "games", null, null), new Item("i2", null, 3.5, null)]);

        Assert.Equal(new Item("i1", "games", null, null), await Backend.Items.GetAsync("i1"));
        Assert.Equal(2, await Backend.Items.CountAsync());
    }

    [Fact]
    public async Task ItemUpsert_RoundTripsEveryField()
    {
        var item = new Item("i1", "books", 12.75, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));

        await Backend.Items.UpsertAsync([item]);

        Assert.Equal(item, await Backend.Items.GetAsync("i1"));
    }

    [Fact]
    public async Task ItemUpsert_WhenOneCallNamesAnItemTwice_TheLaterWins()
    {
        await Backend.Items.UpsertAsync([new Item("i1", "books", 1, null), new Item("i1", "games", 2, null)]);

        Assert.Equal(new Item("i1", "games", 2, null), await Backend.Items.GetAsync("i1"));
        Assert.Equal(1, await Backend.Items.CountAsync());
    }

    [Fact]
    public async Task ItemUpsert_StoresLargeCatalogsCompletely()
    {
        var items = Enumerable.Range(0, 130).Select(i => new Item($"i{i}", "c", i, null)).ToList();

        await Backend.Items.UpsertAsync(items);

        Assert.Equal(130, await Backend.Items.CountAsync());
        Assert.Equal(129, (await Backend.Items.GetAsync("i129"))!.Price);
    }

    [Fact]
    public async Task ItemGet_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await Backend.Items.GetAsync("missing"));
    }

    [Fact]
    public async Task UserUpsert_KeepsAttributesAcrossRestart()
    {
        await Backend.Users.UpsertAsync(
            [new User("u1", new Dictionary<string, string> { ["MEMBERSHIP"] = "gold", ["AGE_GROUP"] = "25-34" })]);

        await Backend.ReopenAsync();
        var user = await Backend.Users.GetAsync("u1");

        Assert.NotNull(user);
        Assert.Equal("gold", user.Attributes["MEMBERSHIP"]);
        Assert.Equal("25-34", user.Attributes["AGE_GROUP"]);
    }

    [Fact]
    public async Task UserUpsert_WhenUserExists_ReplacesAllAttributes()
    {
        await Backend.Users.UpsertAsync([new User("u1", new Dictionary<string, string> { ["MEMBERSHIP"] = "gold" })]);

        await Backend.Users.UpsertAsync([new User("u1", new Dictionary<string, string> { ["AGE_GROUP"] = "18-24" })]);

        var user = await Backend.Users.GetAsync("u1");
        Assert.Equal(new Dictionary<string, string> { ["AGE_GROUP"] = "18-24" }, user!.Attributes);
        Assert.Equal(1, await Backend.Users.CountAsync());
    }

    [Fact]
    public async Task UserUpsert_WithNoAttributes_StoresTheUser()
    {
        await Backend.Users.UpsertAsync([new User("u1", new Dictionary<string, string>())]);

        var user = await Backend.Users.GetAsync("u1");

        Assert.NotNull(user);
        Assert.Empty(user.Attributes);
    }

    [Fact]
    public async Task UserGet_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await Backend.Users.GetAsync("missing"));
    }
}
