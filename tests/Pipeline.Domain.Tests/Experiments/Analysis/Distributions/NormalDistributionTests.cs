using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis.Distributions;

public sealed class NormalDistributionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.96, 0.97500210485177952)]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(3.0, 0.99865010196836990)]
    public void Cdf_MatchesKnownValues(double x, double expected) =>
        Assert.Equal(expected, NormalDistribution.Cdf(x), 1e-14);

    [Fact]
    public void Survival_KeepsRelativeAccuracyFarInTheTail()
    {
        var expected = 6.2209605742717841e-16; // 1 − Φ(8)
        Assert.True(Math.Abs(NormalDistribution.Survival(8) / expected - 1) < 1e-10);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8, 0.8416212335729143)]
    [InlineData(1e-10, -6.361340902404056)]
    public void Quantile_MatchesKnownValues(double p, double expected) =>
        Assert.Equal(expected, NormalDistribution.Quantile(p), 1e-12);

    [Theory]
    [InlineData(1e-300)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.999999)]
    public void Quantile_InvertsCdf(double p) =>
        Assert.True(Math.Abs(NormalDistribution.Cdf(NormalDistribution.Quantile(p)) / p - 1) < 1e-12);
}
