using Pipeline.Engine.Recipes;
using Pipeline.Engine.Tests.Numerics;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class EaseTests
{
    [Fact]
    public void Train_TinyMatrix_MatchesClosedFormComputedIndependently()
    {
        int[][] rows = [[0, 1, 2], [0, 1], [0, 1, 3], [0, 2], [1, 2], [3]];
        var matrix = FeedbackMatrix.FromLists(["u1", "u2", "u3", "u4", "u5", "u6"], ["A", "B", "C", "D"], rows);
        const double lambda = 2.0;

        var weights = Ease.Train(matrix, lambda);

        // Independently: G = XᵀX + λI, P = G⁻¹ by Gauss-Jordan, B = I − P·diag(1/diag(P)).
        var g = new double[4, 4];
        foreach (var row in rows)
            foreach (var i in row)
                foreach (var j in row) g[i, j] += 1;
        for (var i = 0; i < 4; i++) g[i, i] += lambda;
        var p = NaiveLinearAlgebra.Inverse(g);
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
            {
                var expected = i == j ? 0 : -p[i, j] / p[j, j];
                Assert.Equal(expected, weights[i * 4 + j], 5);
            }
    }

    [Fact]
    public void Train_KnownValue_ForTwoItemsAlwaysTogether()
    {
        // Two users both with items 0 and 1: G = [[2+λ, 2], [2, 2+λ]]; B[0,1] = −P01/P11 = 2/(2+λ).
        var matrix = FeedbackMatrix.FromLists(["u1", "u2"], ["A", "B"], [[0, 1], [0, 1]]);

        var weights = Ease.Train(matrix, lambda: 1.0);

        Assert.Equal(2.0 / 3.0, weights[1], 6);
        Assert.Equal(2.0 / 3.0, weights[2], 6);
        Assert.Equal(0, weights[0]);
    }
}
