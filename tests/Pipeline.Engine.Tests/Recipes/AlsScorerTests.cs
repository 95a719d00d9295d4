using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class AlsScorerTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(10)]
    public void Score_IsEveryItemFactorDotTheUserFactor(int factors)
    {
        var random = new Random(factors);
        float[] Random(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5))];
        var items = Random(37 * factors);
        var scorer = new AlsScorer(Random(3 * factors), items, new AlsOptions(Factors: factors));
        var user = Random(factors);
        var scores = new float[37];

        scorer.Score([], [], user, scores);

        for (var i = 0; i < 37; i++)
        {
            double expected = 0;
            for (var k = 0; k < factors; k++) expected += items[i * factors + k] * user[k];
            Assert.Equal(expected, scores[i], 4);
        }
    }
}
