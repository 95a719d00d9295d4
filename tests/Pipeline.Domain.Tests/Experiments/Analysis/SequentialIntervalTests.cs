using Pipeline.Domain.Experiments.Analysis;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class SequentialIntervalTests
{
    private static readonly SampleSummary Control = SampleSummary.FromProportion(20000, 2000);
    private static readonly SampleSummary Treatment = SampleSummary.FromProportion(20000, 2160);

    [Fact]
    public void AlwaysValidInterval_IsWiderThanTheFixedHorizonInterval()
    {
        var sequential = SequentialInterval.Analyze(Control, Treatment, relative: true, alpha: 0.05, tuningSampleSize: 5000);
        var fixedHorizon = WelchTest.Analyze(Control, Treatment, relative: true, alpha: 0.05);

        Assert.Equal(fixedHorizon.Estimate, sequential.Estimate, 12);
        Assert.Equal(fixedHorizon.StandardError, sequential.StandardError, 12);
        Assert.True(sequential.CiHigh - sequential.CiLow > fixedHorizon.CiHigh - fixedHorizon.CiLow);
        Assert.Null(sequential.DegreesOfFreedom);
    }

    [Theory]
    [InlineData(2160)]
    [InlineData(2300)]
    [InlineData(1990)]
    public void PValue_IsBelowAlpha_ExactlyWhenTheIntervalExcludesZero(long treatmentConversions)
    {
        var result = SequentialInterval.Analyze(Control, SampleSummary.FromProportion(20000, treatmentConversions), false, 0.05, 10000);

        Assert.Equal(result.CiLow > 0 || result.CiHigh < 0, result.PValue < 0.05);
    }

    [Fact]
    public void PValue_AtTheIntervalEdge_EqualsAlpha()
    {
        // The p-value is the α whose interval just touches zero (ρ held at the tuning α).
        var result = SequentialInterval.Analyze(Control, Treatment, false, 0.05, 10000);
        var rho = SequentialInterval.Rho(0.05, 10000);
        double n = Control.Units + Treatment.Units;
        var s2 = result.StandardError * result.StandardError * n;
        var halfWidthAtP = Math.Sqrt(s2 * 2 * (n * rho * rho + 1) * Math.Log(Math.Sqrt(n * rho * rho + 1) / result.PValue) / (n * rho * n * rho));

        Assert.Equal(Math.Abs(result.Estimate), halfWidthAtP, 1e-12);
    }
}
