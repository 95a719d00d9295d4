using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Catalog;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteCatalogStoreTests : IDisposable
{
    private readonly TemporaryDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ItemUpsert_WhenItemExists_ReplacesItsMetadata()
    {
        var store = new SqliteItemStore(_db.Database);
        await store.UpsertAsync([new Item("i1", "books", 10, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000))]);

        await store.UpsertAsync([new Item("i1", "games", null, null), new Item("i2", null, 3.5, null)]);

        Assert.Equal(new Item("i1", "games", null, null), await store.GetAsync("i1"));
        Assert.Equal(2, await store.CountAsync());
    }

    [Fact]
    public async Task ItemGet_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await new SqliteItemStore(_db.Database).GetAsync("missing"));
    }

    [Fact]
    public async Task UserUpsert_KeepsAttributesAcrossRestart()
    {
        await new SqliteUserStore(_db.Database).UpsertAsync(
            [new User("u1", new Dictionary<string, string> { ["MEMBERSHIP"] = "gold", ["AGE_GROUP"] = "25-34" })]);

        var user = await new SqliteUserStore(_db.Reopen()).GetAsync("u1");

        Assert.NotNull(user);
        Assert.Equal("gold", user.Attributes["MEMBERSHIP"]);
        Assert.Equal("25-34", user.Attributes["AGE_GROUP"]);
    }
}
