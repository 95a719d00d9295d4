using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis.Distributions;

public sealed class StudentTDistributionTests
{
    [Theory]
    [InlineData(-3.0)]
    [InlineData(0.3)]
    [InlineData(12.7)]
    public void Cdf_WithOneDegreeOfFreedom_IsTheCauchyCdf(double t) =>
        Assert.Equal(0.5 + Math.Atan(t) / Math.PI, StudentTDistribution.Cdf(t, 1), 1e-13);

    [Theory]
    [InlineData(-2.5)]
    [InlineData(0.7)]
    [InlineData(40.0)]
    public void Cdf_WithTwoDegreesOfFreedom_HasItsClosedForm(double t) =>
        Assert.Equal(0.5 + t / (2 * Math.Sqrt(2 + t * t)), StudentTDistribution.Cdf(t, 2), 1e-13);

    [Theory]
    [InlineData(0.975)]
    [InlineData(0.6)]
    [InlineData(0.001)]
    public void Quantile_WithTwoDegreesOfFreedom_HasItsClosedForm(double p) =>
        Assert.Equal((2 * p - 1) / Math.Sqrt(2 * p * (1 - p)), StudentTDistribution.Quantile(p, 2), 1e-10);

    [Fact]
    public void Quantile_MatchesTheTextbookTable() =>
        Assert.Equal(2.2281388519649385, StudentTDistribution.Quantile(0.975, 10), 1e-10);

    [Theory]
    [InlineData(3109.002731)]
    [InlineData(153675.479954)]
    [InlineData(5e7)]
    public void Quantile_InvertsCdfForWelchSizedFractionalDegreesOfFreedom(double df)
    {
        var t = StudentTDistribution.Quantile(0.975, df);
        // At ν = 5e7 the incomplete beta's rounding floor is ~1e-10; far inside what analysis needs.
        Assert.Equal(0.975, StudentTDistribution.Cdf(t, df), 1e-9);
        Assert.InRange(t, NormalDistribution.Quantile(0.975), 1.962);
    }

    [Fact]
    public void TwoSidedPValue_IsTwiceTheTailAndSymmetric()
    {
        Assert.Equal(2 * (1 - StudentTDistribution.Cdf(2.1, 7.5)), StudentTDistribution.TwoSidedPValue(2.1, 7.5), 1e-13);
        Assert.Equal(StudentTDistribution.TwoSidedPValue(2.1, 7.5), StudentTDistribution.TwoSidedPValue(-2.1, 7.5), 1e-15);
        Assert.Equal(1.0, StudentTDistribution.TwoSidedPValue(0, 30), 1e-15);
    }
}
