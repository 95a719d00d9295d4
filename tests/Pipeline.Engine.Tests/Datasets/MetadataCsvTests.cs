using System.Text;
using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Datasets;

public sealed class MetadataCsvTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ItemsRead_GeneratedFile_GivesDomainItemsWithMetadata()
    {
        var items = ItemsCsv.Read(Path.Combine(data.DirectoryPath, DatasetFiles.Items));
        Assert.Equal(GeneratedDataset.Options.Items, items.Count);
        Assert.Equal("item_00001", items[0].ItemId);
        Assert.All(items, item =>
        {
            Assert.False(string.IsNullOrEmpty(item.Category));
            Assert.True(item.Price > 0);
            Assert.True(item.CreatedAt < SyntheticDataGenerator.End - SyntheticDataGenerator.Span);
        });
    }

    [Fact]
    public void ItemsRead_MissingOptionalColumns_LeavesThemNull()
    {
        var item = Assert.Single(ItemsCsv.Read(Csv("ITEM_ID\ni1\n"), "items.csv"));
        Assert.Equal(new Pipeline.Domain.Catalog.Item("i1", null, null, null), item);
    }

    [Fact]
    public void ItemsRead_MalformedPrice_NamesLineAndColumn()
    {
        var error = Assert.Throws<CsvFormatException>(() => ItemsCsv.Read(Csv("ITEM_ID,PRICE\ni1,9.99\ni2,cheap\n"), "items.csv"));
        Assert.Equal("items.csv line 3, column PRICE: 'cheap' is not a number", error.Message);
    }

    [Fact]
    public void UsersRead_GeneratedFile_KeepsOtherColumnsAsAttributes()
    {
        var users = UsersCsv.Read(Path.Combine(data.DirectoryPath, DatasetFiles.Users));
        Assert.Equal(GeneratedDataset.Options.Users, users.Count);
        Assert.Equal("user_00001", users[0].UserId);
        Assert.All(users, user =>
        {
            Assert.Equal(["AGE_GROUP", "MEMBERSHIP"], user.Attributes.Keys.Order());
            Assert.Contains(user.Attributes["MEMBERSHIP"], new[] { "standard", "premium" });
        });
    }

    [Fact]
    public void UsersRead_EmptyUserId_NamesTheLine()
    {
        var error = Assert.Throws<CsvFormatException>(() => UsersCsv.Read(Csv("USER_ID,AGE_GROUP\nu1,18-24\n,25-34\n"), "users.csv"));
        Assert.Equal(3, error.Line);
        Assert.Equal("USER_ID", error.Column);
    }
}
