using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Tests.Numerics;

public sealed class TopKTests
{
    [Fact]
    public void Select_RandomScores_MatchesFullSortBestFirst()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 5000).Select(_ => (float)random.Next(0, 300)).ToArray();
        var indices = new int[25];
        var values = new float[25];

        var found = TopK.Select(scores, indices, values);

        var expected = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(25).ToArray();
        Assert.Equal(25, found);
        Assert.Equal(expected, indices);
        Assert.Equal(expected.Select(i => scores[i]), values);
    }

    [Fact]
    public void Select_ExcludedScores_AreNeverChosen()
    {
        float[] scores = [1, float.NegativeInfinity, 3, float.NaN];
        var indices = new int[4];

        var found = TopK.Select(scores, indices, new float[4]);

        Assert.Equal(2, found);
        Assert.Equal([2, 0], indices[..found]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    [InlineData(1000)]
    public void Threshold_RandomValuesWithTies_IsTheKthLargest(int k)
    {
        var random = new Random(k);
        var values = Enumerable.Range(0, 1000).Select(_ => (float)random.Next(0, 50)).ToArray();
        var expected = values.OrderByDescending(v => v).ElementAt(k - 1);

        Assert.Equal(expected, TopK.Threshold(values.ToArray(), k));
    }
}
