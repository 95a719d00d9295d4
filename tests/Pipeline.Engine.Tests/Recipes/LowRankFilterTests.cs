using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class LowRankFilterTests
{
    // 4 users × 3 items: the randomised SVD keeps every singular vector (rank 3), so the spectral blocks are exact.
    private static readonly FeedbackMatrix Matrix = FeedbackMatrix.FromLists(["u0", "u1", "u2", "u3"], ["a", "b", "c"],
        [[0, 1], [0, 1, 2], [1, 2], [0]]);

    [Fact]
    public void Sharpening_AtFullRank_SubtractsBspmsEulerStep_StepTimesHistoryTimesFilterSquared()
    {
        var (vectors, values) = ItemSpectrum.Compute(Matrix, 3);
        var filter = LowRankFilter.From(Matrix, vectors, values, 3, 3, weight: 0, sharpening: 0.5f)!;

        var scores = Score(filter, history: [0]);

        var p = NormalisedGram();
        for (var j = 0; j < 3; j++)
        {
            var squared = 0.0;
            for (var k = 0; k < 3; k++) squared += p[0, k] * p[k, j];
            Assert.Equal(-0.5 * squared, scores[j], tolerance: 0.005); // the int8 serving copy: within 1/254 of the row's largest
        }
    }

    [Fact]
    public void Sharpening_PushesDownTheItemsTheFilterSquaredTiesToTheHistory_AndTheLowPassPartAtFullRankScoresOnlyTheHistory()
    {
        var (vectors, values) = ItemSpectrum.Compute(Matrix, 3);
        var lowPass = Score(LowRankFilter.From(Matrix, vectors, values, 3, 3, weight: 0.3f, sharpening: 0)!, history: [2]);
        var sharpened = Score(LowRankFilter.From(Matrix, vectors, values, 3, 3, weight: 0, sharpening: 1)!, history: [2]);

        // D^−½·V·Vᵀ·D^½ is the identity when V spans every item: weight on the history item, nothing elsewhere.
        Assert.Equal([0, 0, 0.3], lowPass.Select(s => Math.Round(s, 2)));
        // −x·P̃²: P̃²[2, ·] = (0.234, 0.331, 0.308), largest for b (both of c's users have it), then c, then a.
        Assert.True(sharpened[1] < sharpened[2] && sharpened[2] < sharpened[0]);
    }

    [Fact]
    public void BothBlocks_FromOneSharedV_ScoreAsTheFloatLowPassPlusSharpeningFilters()
    {
        var (vectors, values) = ItemSpectrum.Compute(Matrix, 3);
        var filter = LowRankFilter.From(Matrix, vectors, values, 3, 2, weight: 0.3f, sharpening: 0.5f)!;
        int[] history = [0, 2];

        var scores = Score(filter, history);

        // β·dⱼ^½·Σᵢ Vᵢ·Vⱼ/dᵢ^½ − η·Σᵢ Σ_c Vᵢc·σ_c⁴·Vⱼc over the first 2 singular vectors, in float64 from the float V.
        Assert.Equal(2, filter.Rank);
        Assert.Equal(4, filter.Width);
        for (var j = 0; j < 3; j++)
        {
            double expected = 0, bound = 0;
            foreach (var i in history)
            for (var c = 0; c < 2; c++)
            {
                var product = vectors[i * 3 + c] * vectors[j * 3 + c];
                var roots = Math.Sqrt(Matrix.Popularity(j)) / Math.Sqrt(Matrix.Popularity(i));
                expected += 0.3 * roots * product - 0.5 * Math.Pow(values[c], 4) * product;
                bound += (0.3 * roots + 0.5 * Math.Pow(values[c], 4)) * 2.0 / 254; // both rows' int8 steps (|V| ≤ 1)
            }
            Assert.InRange(scores[j], expected - bound, expected + bound);
        }
    }

    [Fact]
    public void From_WithNeitherPart_IsNull() =>
        Assert.Null(LowRankFilter.From(Matrix, new float[9], [1, 1, 1], 3, 3, weight: 0, sharpening: 0));

    private static float[] Score(LowRankFilter filter, int[] history)
    {
        var folded = new float[filter.Width];
        filter.Fold(history, [], folded);
        var scores = new float[3];
        filter.AddTo(folded, scores);
        return scores;
    }

    /// <summary>P̃ = R̃ᵀR̃ by brute force: Σᵤ 1/dᵤ · 1/√(dᵢ·dⱼ) over the users who have both i and j.</summary>
    private static double[,] NormalisedGram()
    {
        var p = new double[3, 3];
        for (var u = 0; u < Matrix.UserCount; u++)
        {
            var items = Matrix.ItemsOf(u).ToArray();
            foreach (var i in items)
            foreach (var j in items)
                p[i, j] += 1.0 / items.Length / Math.Sqrt(Matrix.Popularity(i) * Matrix.Popularity(j));
        }
        return p;
    }
}
