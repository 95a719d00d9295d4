using System.Text;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class PopularityCountTests
{
    private static InteractionDataset Read(string csv) => InteractionsCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test.csv");

    // i1: one user, many times; i2: three users; i3: two users, one of whom purchased.
    private static readonly InteractionDataset Sample = Read("""
        USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE
        u1,i1,1,view
        u1,i1,2,view
        u1,i1,3,view
        u1,i1,4,view
        u1,i2,5,view
        u2,i2,6,view
        u3,i2,7,view
        u2,i3,8,view
        u3,i3,9,purchase
        """);

    private static async Task<IReadOnlyList<ScoredItem>> Top(IRecommendationModel model, int n) =>
        await model.RecommendAsync(new ModelQuery("anyone", null, n));

    [Fact]
    public async Task Train_RanksItemsByDistinctUsersNotByEventCount()
    {
        var model = PopularityCount.Train(Sample);
        Assert.Equal(["i2", "i3", "i1"], (await Top(model, 10)).Select(s => s.ItemId));
        Assert.Equal([3, 2, 1], model.DistinctUserCounts);
    }

    [Fact]
    public async Task Recommend_ScoresAreCountsOverTheTopCount()
    {
        var top = await Top(PopularityCount.Train(Sample), 10);
        Assert.Equal([1.0, 2.0 / 3, 1.0 / 3], top.Select(s => s.Score));
    }

    [Fact]
    public async Task Recommend_ReturnsAtMostTheRequestedNumber()
    {
        var model = PopularityCount.Train(Sample);
        Assert.Equal(["i2", "i3"], (await Top(model, 2)).Select(s => s.ItemId));
        Assert.Empty(await Top(model, 0));
    }

    [Fact]
    public async Task Train_WithEventType_CountsOnlyThatEventType()
    {
        var model = PopularityCount.Train(Sample, new PopularityCountOptions(EventType: "purchase"));
        Assert.Equal(["i3"], (await Top(model, 10)).Select(s => s.ItemId));
    }

    [Fact]
    public async Task Train_WithAnEventTypeNoRowHas_RecommendsNothing()
    {
        var model = PopularityCount.Train(Sample, new PopularityCountOptions(EventType: "rating"));
        Assert.Empty(await Top(model, 10));
    }

    [Fact]
    public async Task Train_BreaksTiesByItemId()
    {
        var model = PopularityCount.Train(Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,b,1\nu1,c,2\nu2,a,3\n"));
        Assert.Equal(["a", "b", "c"], (await Top(model, 10)).Select(s => s.ItemId));
    }

    [Fact]
    public void Model_ReportsThePersonalizeRecipeName()
    {
        Assert.Equal("aws-popularity-count", PopularityCount.Train(Sample).Recipe);
    }

    [Fact]
    public async Task Rank_OrdersCandidatesByDistinctUsers_UnknownLastWithoutScore_FirstOfDuplicates()
    {
        var model = PopularityCount.Train(Sample);

        var ranked = await model.RankAsync("anyone", ["i1", "new", "i3", "i2", "i3"]);

        Assert.Equal(["i2", "i3", "i1", "new"], ranked.Select(r => r.ItemId));
        Assert.Equal([1.0, 2.0 / 3, 1.0 / 3], ranked.Take(3).Select(r => r.Score!.Value));
        Assert.Null(ranked[^1].Score);
    }

    [Fact]
    public async Task Rank_MoreThan500Candidates_IsRejected()
    {
        var model = PopularityCount.Train(Sample);

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await model.RankAsync("anyone", [.. Enumerable.Range(0, 501).Select(i => $"i{i}")]));
    }
}
