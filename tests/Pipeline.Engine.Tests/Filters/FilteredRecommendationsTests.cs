using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Filters;

namespace Pipeline.Engine.Tests.Filters;

public sealed class FilteredRecommendationsTests
{
    /// <summary>Ranks i0, i1, … and records how many it was asked for.</summary>
    private sealed class CountingModel(int size) : IRecommendationModel
    {
        public List<int> Requests { get; } = [];

        public string Recipe => "test";

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            Requests.Add(query.NumResults);
            return ValueTask.FromResult<IReadOnlyList<ScoredItem>>(
                [.. Enumerable.Range(0, Math.Min(size, query.NumResults)).Select(i => new ScoredItem($"i{i}", 1.0 / (i + 1)))]);
        }
    }

    // Every 100th item is a book.
    private static FilterContext Books(int size) =>
        new(Enumerable.Range(0, size).Select(i => new Item($"i{i}", i % 100 == 0 ? "books" : "other", null, null)));

    private static readonly CompiledFilter OnlyBooks = CompiledFilter.Compile("INCLUDE ItemID WHERE Items.CATEGORY IN (\"books\")");

    [Fact]
    public async Task RecommendAsync_FetchesMoreUntilEnoughPassTheFilter()
    {
        var model = new CountingModel(5000);
        var result = await FilteredRecommendations.RecommendAsync(model, new ModelQuery("u", null, 10), OnlyBooks, null, Books(5000));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"i{i * 100}"), result.Select(r => r.ItemId));
        Assert.Equal([60, 240, 960], model.Requests);
    }

    [Fact]
    public async Task RecommendAsync_StopsWhenTheModelHasNoMore()
    {
        var model = new CountingModel(250);
        var result = await FilteredRecommendations.RecommendAsync(model, new ModelQuery("u", null, 10), OnlyBooks, null, Books(250));
        Assert.Equal(["i0", "i100", "i200"], result.Select(r => r.ItemId));
        Assert.Equal([60, 240, 960], model.Requests);
    }

    [Fact]
    public async Task RecommendAsync_AsksOnceWhenTheFilterKeepsEnough()
    {
        var model = new CountingModel(1000);
        var everything = CompiledFilter.Compile("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"none\")");
        var result = await FilteredRecommendations.RecommendAsync(model, new ModelQuery("u", null, 25), everything, null, Books(1000));
        Assert.Equal(25, result.Count);
        Assert.Equal([75], model.Requests);
    }
}
