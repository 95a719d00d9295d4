using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class EaseScorerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(100)]
    public void Score_WeightedAndUnweighted_EqualsTheRowSumsElementByElement(int n)
    {
        var random = new Random(n);
        var b = new float[n * n];
        for (var k = 0; k < b.Length; k++) b[k] = (float)(random.NextDouble() - 0.5);
        var scorer = new EaseScorer(b, n, 1);
        int[] history = [0, n - 1, n / 2];
        float[] weights = [0.5f, 2f, 1.25f];
        var weighted = new float[n];
        var plain = new float[n];

        scorer.Score(history, weights, [], weighted);
        scorer.Score(history, [], [], plain);

        for (var j = 0; j < n; j++)
        {
            float expectedWeighted = 0, expectedPlain = 0;
            for (var k = 0; k < history.Length; k++)
            {
                expectedWeighted = b[history[k] * n + j] * weights[k] + expectedWeighted;
                expectedPlain += b[history[k] * n + j];
            }
            Assert.Equal(expectedWeighted, weighted[j]);
            Assert.Equal(expectedPlain, plain[j]);
        }
    }
}
