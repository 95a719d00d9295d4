using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Filters;

namespace Pipeline.Engine.Tests.Filters;

public sealed class CompiledFilterTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Item[] Catalog =
    [
        new("book1", "books", 12, Day),
        new("book2", "books", 150, Day.AddDays(1)),
        new("game1", "games", 60, Day.AddDays(2)),
        new("game2", "games|books", 30, Day.AddDays(3)),
        new("toy1", "toys", 5, null),
        new("bare", null, null, null),
    ];

    private static readonly string[] All = [.. Catalog.Select(i => i.ItemId), "unknown"];

    // u1 bought book1, viewed game1; u2 only clicked toy1.
    private static readonly InteractionDataset History = InteractionsCsvFrom("""
        USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE
        u1,book1,1,view
        u1,book1,2,purchase
        u1,game1,3,view
        u2,toy1,4,click
        """);

    private static readonly FilterContext Context = new(
        Catalog,
        InteractionHistory.FromDataset(History),
        [new User("u1", new Dictionary<string, string> { ["AGE"] = "34", ["TIER"] = "gold" }), new User("u2", new Dictionary<string, string> { ["AGE"] = "15" })]);

    private static InteractionDataset InteractionsCsvFrom(string csv) =>
        InteractionsCsv.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "history.csv");

    private static IReadOnlyList<string> Apply(string expression, string user = "u1", Dictionary<string, string>? values = null, FilterContext? context = null, string? currentItem = null) =>
        CompiledFilter.Compile(expression).Apply(user, All, values, context ?? Context, currentItem);

    [Fact]
    public void ExcludePurchased_RemovesOnlyWhatTheUserBought()
    {
        Assert.Equal(All.Where(i => i != "book1"), Apply("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"));
        Assert.Equal(All, Apply("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")", user: "u2"));
        Assert.Equal(All, Apply("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")", user: "stranger"));
    }

    [Fact]
    public void EventTypes_MatchIgnoringCase_AndStarMatchesAny()
    {
        Assert.Equal(["book1"], Apply("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"PURCHASE\")"));
        Assert.Equal(["book1", "game1"], Apply("INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")"));
        Assert.Equal(["book1"], Apply("INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN (\"view\")"));
    }

    [Fact]
    public void RealTimeEvents_CountAsHistory()
    {
        var events = new[] { new InteractionEvent("e1", "u2", "game2", "purchase", null, "s1", null, Day) };
        var context = new FilterContext(Catalog, InteractionHistory.Combine(InteractionHistory.FromEvents(events), InteractionHistory.FromDataset(History)));
        Assert.Equal(All.Where(i => i != "game2"), Apply("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")", user: "u2", context: context));
    }

    [Fact]
    public void IncludeCategoryPlaceholder_UsesPersonalizesFilterValueFormat()
    {
        Assert.Equal(["book1", "book2", "game1", "game2"],
            Apply("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)", values: new() { ["CATEGORY"] = "\"books\",\"games\"" }));
        // A multi-valued category holds each of its parts.
        Assert.Equal(["book1", "book2", "game2"],
            Apply("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)", values: new() { ["CATEGORY"] = "\"books\"" }));
    }

    [Fact]
    public void IncludeWithoutAPlaceholderValue_IsAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => Apply("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"));
        Assert.Contains("needs a value for $CATEGORY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExcludeWithoutAPlaceholderValue_LeavesThatConditionOut()
    {
        Assert.Equal(All, Apply("EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"));
        Assert.Equal(All.Where(i => i is not ("toy1")), Apply("EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY) OR Items.PRICE < 10"));
    }

    [Fact]
    public void NumericComparisons_OnItemFields()
    {
        Assert.Equal(["book1", "game1", "game2", "toy1"], Apply("INCLUDE ItemID WHERE Items.PRICE < 100"));
        Assert.Equal(["book2"], Apply("INCLUDE ItemID WHERE Items.PRICE >= 150"));
        Assert.Equal(["game2"], Apply("INCLUDE ItemID WHERE Items.PRICE = 30"));
        Assert.Equal(["book1", "toy1"], Apply("INCLUDE ItemID WHERE Items.PRICE <= $MAX", values: new() { ["MAX"] = "12" }));
        Assert.Equal(["game1", "game2"], Apply("INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP > " + Day.AddDays(1).ToUnixTimeSeconds()));
    }

    [Fact]
    public void NotIn_KeepsItemsWithOtherOrNoValues()
    {
        // Items without a category (or unknown items) are "not in" any list, so EXCLUDE drops them too.
        Assert.Equal(["book1", "book2", "game2"],
            Apply("EXCLUDE ItemID WHERE Items.CATEGORY NOT IN (\"books\")"));
    }

    [Fact]
    public void AndOr_CombineAsInSql()
    {
        Assert.Equal(["book1", "game2"], Apply("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\") AND Items.PRICE < 100"));
        Assert.Equal(["book1", "book2", "game2", "toy1"], Apply("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\") OR Items.PRICE < 10"));
        Assert.Equal(["book1", "toy1"],
            Apply("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\") AND Items.PRICE < 20 OR Items.CATEGORY IN (\"toys\")"));
    }

    [Fact]
    public void PipedExpressions_ApplyInTurn()
    {
        Assert.Equal(["book2", "game2"],
            Apply("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")"));
    }

    [Fact]
    public void IfCondition_AppliesTheExpressionOnlyToMatchingUsers()
    {
        const string expression = "EXCLUDE ItemID WHERE Items.PRICE > 50 IF CurrentUser.AGE < 18";
        Assert.Equal(All, Apply(expression, user: "u1"));
        Assert.Equal(All.Where(i => i is not ("book2" or "game1")), Apply(expression, user: "u2"));
    }

    [Fact]
    public void CurrentItem_ComparesWithTheRequestsItem()
    {
        Assert.Equal(["game1", "game2"], Apply("INCLUDE ItemID WHERE Items.CATEGORY IN (CurrentItem.CATEGORY)", currentItem: "game1"));
        Assert.Equal(["book1", "game2", "toy1"], Apply("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE", currentItem: "game1"));
        Assert.Throws<ArgumentException>(() => Apply("INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE"));
    }

    [Fact]
    public void Apply_KeepsScoresAndOrder()
    {
        ScoredItem[] scored = [new("game1", 0.9), new("book1", 0.5), new("book2", 0.1)];
        var kept = CompiledFilter.Compile("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\")").Apply("u1", scored, null, Context);
        Assert.Equal([new ScoredItem("book1", 0.5), new ScoredItem("book2", 0.1)], kept);
    }

    [Fact]
    public void Placeholders_ListsTheNamesTheExpressionUses()
    {
        var filter = CompiledFilter.Compile("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY) AND Items.PRICE < $MAX | EXCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)");
        Assert.Equal(["CATEGORY", "MAX"], filter.Placeholders.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("\"books\",\"games\"", new[] { "books", "games" })]
    [InlineData(" \"a, b\" , \"c\\\"d\" ", new[] { "a, b", "c\"d" })]
    [InlineData("10,20.5", new[] { "10", "20.5" })]
    public void FilterValues_ParsesQuotedAndBareValues(string text, string[] expected)
    {
        Assert.Equal(expected, FilterValues.Parse("X", text));
    }

    [Theory]
    [InlineData("\"books")]
    [InlineData("\"a\" \"b\"")]
    [InlineData("\"a\",,\"b\"")]
    public void FilterValues_RejectsMalformedText(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => FilterValues.Parse("CATEGORY", text));
        Assert.Contains("filter value for $CATEGORY is malformed", error.Message, StringComparison.Ordinal);
    }
}
