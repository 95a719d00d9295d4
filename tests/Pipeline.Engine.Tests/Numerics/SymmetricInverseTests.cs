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
    public void Invert_RandomSpdMatrix_MatchesGaussJordanToFloat32Precision(int n)
    {
        var matrix = NaiveLinearAlgebra.RandomSpd(n, seed: n);
        var expected = NaiveLinearAlgebra.Inverse(matrix);

        var actual = SymmetricInverse.Invert(NaiveLinearAlgebra.Flatten(matrix), n);

        // float32 arithmetic: errors are relative to the inverse's scale (its largest entry), a few ulps times the condition.
        var scale = 0.0;
        foreach (var value in expected) scale = Math.Max(scale, Math.Abs(value));
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                Assert.Equal(expected[i, j], actual[i * n + j], 1e-4 * scale);
    }

    [Fact]
    public void Invert_ReadsOnlyTheLowerTriangle()
    {
        var matrix = NaiveLinearAlgebra.RandomSpd(120, seed: 1);
        var flat = NaiveLinearAlgebra.Flatten(matrix);
        for (var i = 0; i < 120; i++)
            for (var j = i + 1; j < 120; j++) flat[i * 120 + j] = float.NaN;

        var actual = SymmetricInverse.Invert(flat, 120);

        Assert.All(actual, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Invert_NotPositiveDefinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => SymmetricInverse.Invert(new float[] { 1, 2, 2, 1 }, 2));
    }
}
