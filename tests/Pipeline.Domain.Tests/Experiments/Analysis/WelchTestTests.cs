using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class WelchTestTests
{
    [Fact]
    public void DegreesOfFreedom_FollowWelchSatterthwaite()
    {
        var a = new SampleSummary(10, 1.0, 4.0);
        var b = new SampleSummary(30, 2.0, 1.0);
        double va = 4.0 / 10, vb = 1.0 / 30;

        Assert.Equal((va + vb) * (va + vb) / (va * va / 9 + vb * vb / 29), WelchTest.DegreesOfFreedom(a, b), 12);
    }

    [Fact]
    public void Interval_IsEstimatePlusMinusTheStudentTQuantileTimesTheStandardError()
    {
        var a = new SampleSummary(12, 5.0, 2.0);
        var b = new SampleSummary(15, 6.0, 3.0);

        var result = WelchTest.Analyze(a, b, relative: false, alpha: 0.1);

        var t = StudentTDistribution.Quantile(0.95, result.DegreesOfFreedom!.Value);
        Assert.Equal(1.0, result.Estimate, 12);
        Assert.Equal(Math.Sqrt(2.0 / 12 + 3.0 / 15), result.StandardError, 12);
        Assert.Equal(1.0 - t * result.StandardError, result.CiLow, 12);
        Assert.Equal(1.0 + t * result.StandardError, result.CiHigh, 12);
        Assert.Equal(StudentTDistribution.TwoSidedPValue(1.0 / result.StandardError, result.DegreesOfFreedom.Value), result.PValue, 15);
    }

    [Fact]
    public void RelativeLift_UsesTheDeltaMethodVariance()
    {
        var a = new SampleSummary(100, 2.0, 1.0);
        var b = new SampleSummary(200, 3.0, 4.0);

        var lift = DeltaMethod.Relative(a, b);

        Assert.Equal(0.5, lift.Estimate, 12);
        Assert.Equal(4.0 / 200 / 4 + 1.0 / 100 * 9 / 16, lift.Variance, 12);
    }

    [Fact]
    public void RelativeLift_DividesByTheAbsoluteControlMean()
    {
        var lift = DeltaMethod.Relative(new SampleSummary(100, -2.0, 1.0), new SampleSummary(100, -1.0, 1.0));

        Assert.Equal(0.5, lift.Estimate, 12);
    }

    [Fact]
    public void MeanVariance_IsTheUnbiasedSampleVarianceFromSums()
    {
        double[] values = [1, 2, 4, 7];
        var summary = SampleSummary.FromSums(4, values.Sum(), values.Sum(v => v * v));

        Assert.Equal(3.5, summary.Mean, 12);
        Assert.Equal(values.Sum(v => (v - 3.5) * (v - 3.5)) / 3, summary.Variance, 12);
    }

    [Fact]
    public void ProportionVariance_IsPTimesOneMinusP() =>
        Assert.Equal(0.25 * 0.75, SampleSummary.FromProportion(400, 100).Variance, 15);
}
