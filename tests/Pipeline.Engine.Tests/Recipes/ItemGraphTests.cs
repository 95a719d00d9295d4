using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class ItemGraphTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static readonly UserPersonalizationOptions Fixed = new("graph", GraphRowExponent: 0.5, GraphColumnExponent: 0.5, GraphUserExponent: 1,
        GraphNeighbours: 50, GraphRank: 8, GraphLowRankWeight: 0.3, GraphSharpening: 0.5, EventTypeWeights: HistoryWeighting.Neutral.EventTypeWeights, RecencyHalfLife: 0, CategoryWeight: 0);

    [Fact]
    public void CoOccurrence_WithUserExponentOne_SumsInverseUserDegreesOverSharedUsers()
    {
        // u0 has items 0 and 1, u1 has 0, 1 and 2: C[0,1] = 1/2 + 1/3, C[0,2] = 1/3, no diagonal.
        var matrix = FeedbackMatrix.FromLists(["u0", "u1"], ["a", "b", "c"], [[0, 1], [0, 1, 2]]);

        var c = ItemGraph.CoOccurrence(matrix, 1);

        Assert.Equal([1, 2], c.ColumnsOf(0).ToArray());
        Assert.Equal(1f / 2 + 1f / 3, c.ValuesOf(0)[0], 5);
        Assert.Equal(1f / 3, c.ValuesOf(0)[1], 5);
    }

    [Fact]
    public void Filter_CutRows_KeepTheLargestScaledEntriesInColumnOrder_TiesToLowerColumns()
    {
        var matrix = FeedbackMatrix.From(data.Interactions);
        var coOccurrence = ItemGraph.CoOccurrence(matrix, 1);
        var rowScale = ItemGraph.ItemScale(matrix, 0.5);
        var columnScale = ItemGraph.ItemScale(matrix, 0.3);

        var filter = ItemGraph.Filter(coOccurrence, rowScale, columnScale, neighbours: 20);

        for (var i = 0; i < matrix.ItemCount; i++)
        {
            var columns = coOccurrence.ColumnsOf(i).ToArray();
            var values = coOccurrence.ValuesOf(i).ToArray();
            var expected = Enumerable.Range(0, columns.Length)
                .Select(k => (Column: columns[k], Value: rowScale[i] * values[k] * columnScale[columns[k]]))
                .OrderByDescending(e => e.Value).ThenBy(e => e.Column).Take(20).OrderBy(e => e.Column).ToArray();
            Assert.Equal(expected.Select(e => e.Column), filter.ColumnsOf(i).ToArray());
            Assert.Equal(expected.Select(e => e.Value), filter.ValuesOf(i).ToArray());
        }
    }

    [Fact]
    public async Task Graph_RoundTrip_RecommendsIdentically_AndANewEventChangesTheAnswer()
    {
        var saved = UserPersonalization.Train(new TrainingData(data.Interactions), Fixed);
        using var stream = new MemoryStream();
        ModelArtifact.Create(saved, data.Interactions.Fingerprint(), DateTimeOffset.UnixEpoch).Save(stream);
        stream.Position = 0;
        var loaded = Assert.IsType<UserPersonalizationModel>(ModelArtifact.Load(stream).Model);

        var scorer = Assert.IsType<ItemGraphScorer>(loaded.Scorer);
        Assert.NotNull(scorer.LowRank);
        var query = new ModelQuery("user_00001", null, 25);
        var before = await loaded.RecommendAsync(query);
        Assert.Equal(await saved.RecommendAsync(query), before);

        loaded.Record("user_00001", before[0].ItemId, "click", DateTimeOffset.UtcNow);
        var after = await loaded.RecommendAsync(query);
        Assert.DoesNotContain(after, item => item.ItemId == before[0].ItemId);
    }
}
