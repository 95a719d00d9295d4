using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class SimsTests
{
    [Fact]
    public void Neighbours_DefaultDiscount_AreCoOccurrenceOverSquareRootOfPopularities()
    {
        var model = Sims.Train(TinyData.FiveUsers(), new SimsOptions(MinCointeractionCount: 1));

        var similar = model.Similar("A", 3).ToArray();

        Assert.Equal(["B", "C", "D"], similar.Select(s => s.ItemId));
        Assert.Equal(3 / Math.Sqrt(4 * 4), similar[0].Score, 5);
        Assert.Equal(2 / Math.Sqrt(4 * 3), similar[1].Score, 5);
        Assert.Equal(1 / Math.Sqrt(4 * 1), similar[2].Score, 5);
    }

    [Fact]
    public void Neighbours_FullDiscount_FavourTheNicheItem()
    {
        var model = Sims.Train(TinyData.FiveUsers(), new SimsOptions(PopularityDiscountFactor: 1, MinCointeractionCount: 1));

        var similar = model.Similar("A", 3).ToArray();

        // 1/(4·1) = 0.25 > 3/(4·4) = 0.1875 > 2/(4·3) = 0.1667
        Assert.Equal(["D", "B", "C"], similar.Select(s => s.ItemId));
        Assert.Equal(0.25, similar[0].Score, 5);
    }

    [Fact]
    public void Neighbours_BelowMinCointeractionCount_AreDroppedAndPopularItemsFillIn()
    {
        var model = Sims.Train(TinyData.FiveUsers(), new SimsOptions(MinCointeractionCount: 2));

        var similar = model.Similar("A", 3).ToArray();

        // AD co-occur once: D is no neighbour and only comes back as popularity filler, with score 0.
        Assert.Equal(["B", "C", "D"], similar.Select(s => s.ItemId));
        Assert.Equal(0, similar[2].Score);
        Assert.Empty(model.Neighbours.NeighboursOf(Array.IndexOf(model.ItemIds, "D")).ToArray());
    }

    [Fact]
    public void Similar_UnknownItem_ReturnsPopularItems()
    {
        var model = Sims.Train(TinyData.FiveUsers());

        Assert.Equal(["A", "B", "C", "D"], model.Similar("nope", 10).ToArray().Select(s => s.ItemId));
    }

    [Fact]
    public async Task Serializer_RoundTrip_GivesIdenticalRecommendations()
    {
        var model = Sims.Train(TinyData.FiveUsers(), new SimsOptions(0.3, 1, 2));
        using var stream = new MemoryStream();
        ModelArtifact.Create(model, "fp", DateTimeOffset.UnixEpoch).Save(stream);
        stream.Position = 0;

        var loaded = (SimsModel)ModelArtifact.Load(stream).Model;

        Assert.Equal(model.Options, loaded.Options);
        foreach (var item in new[] { "A", "B", "C", "D", "unknown" })
            Assert.Equal(await model.RecommendAsync(new ModelQuery("u", item, 5)), await loaded.RecommendAsync(new ModelQuery("u", item, 5)));
    }
}
