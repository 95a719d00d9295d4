using Pipeline.Engine.Numerics;

namespace Pipeline.Engine.Tests.Numerics;

public sealed class SymmetricInverseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(96)]
    [InlineData(97)]
    [InlineData(250)]
    [InlineData(300)]
    public void Invert_RandomSpdMatrix_MatchesGaussJordan(int n)
    {
        var matrix = NaiveLinearAlgebra.RandomSpd(n, seed: n);
        var expected = NaiveLinearAlgebra.Inverse(matrix);

        var actual = SymmetricInverse.Invert(NaiveLinearAlgebra.Flatten(matrix), n);

        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                Assert.Equal(expected[i, j], actual[i * n + j], 1e-9);
    }

    [Fact]
    public void Invert_ReadsOnlyTheLowerTriangle()
    {
        var matrix = NaiveLinearAlgebra.RandomSpd(120, seed: 1);
        var flat = NaiveLinearAlgebra.Flatten(matrix);
        for (var i = 0; i < 120; i++)
            for (var j = i + 1; j < 120; j++) flat[i * 120 + j] = double.NaN;

        var actual = SymmetricInverse.Invert(flat, 120);

        Assert.All(actual, value => Assert.True(double.IsFinite(value)));
    }

    [Fact]
    public void Invert_NotPositiveDefinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => SymmetricInverse.Invert(new double[] { 1, 2, 2, 1 }, 2));
    }
}
