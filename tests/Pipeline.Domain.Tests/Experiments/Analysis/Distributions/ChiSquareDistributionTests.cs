using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis.Distributions;

public sealed class ChiSquareDistributionTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(13.8)]
    [InlineData(300.0)]
    public void Survival_WithTwoDegreesOfFreedom_IsExpOfMinusHalfX(double x) =>
        Assert.True(Math.Abs(ChiSquareDistribution.Survival(x, 2) / Math.Exp(-x / 2) - 1) < 1e-12);

    [Theory]
    [InlineData(1.0)]
    [InlineData(10.0)]
    [InlineData(461.3)]
    public void Survival_WithFourDegreesOfFreedom_HasItsClosedForm(double x) =>
        Assert.True(Math.Abs(ChiSquareDistribution.Survival(x, 4) / (Math.Exp(-x / 2) * (1 + x / 2)) - 1) < 1e-12);

    [Theory]
    [InlineData(0.3)]
    [InlineData(3.841458820694124)]
    [InlineData(35.27)]
    public void Survival_WithOneDegreeOfFreedom_IsTheTwoSidedNormalTail(double x) =>
        Assert.True(Math.Abs(ChiSquareDistribution.Survival(x, 1) / (2 * NormalDistribution.Survival(Math.Sqrt(x))) - 1) < 1e-12);

    [Fact]
    public void CdfAndSurvival_AddToOne() =>
        Assert.Equal(1.0, ChiSquareDistribution.Cdf(4.2, 3) + ChiSquareDistribution.Survival(4.2, 3), 1e-15);
}
