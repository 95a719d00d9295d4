using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class PowerCalculatorTests
{
    [Fact]
    public void SampleSize_ForTenToElevenPercentAt80PercentPower_MatchesTheNormalFormula()
    {
        var n = PowerCalculator.SampleSizePerVariantForProportion(0.10, 0.10, alpha: 0.05, power: 0.8);

        var z = NormalDistribution.Quantile(0.975) + NormalDistribution.Quantile(0.8);
        Assert.Equal((long)Math.Ceiling(z * z * (0.09 + 0.11 * 0.89) / (0.01 * 0.01)), n);
        Assert.InRange(n, 14_700, 14_800);
    }

    [Fact]
    public void Power_AtTheComputedSampleSize_ReachesTheTargetAndOneUnitLessDoesNot()
    {
        var n = PowerCalculator.SampleSizePerVariantForProportion(0.10, 0.10);

        Assert.True(PowerCalculator.Power(0.09, 0.11 * 0.89, n, n, 0.01) >= 0.8);
        Assert.True(PowerCalculator.Power(0.09, 0.11 * 0.89, n - 1, n - 1, 0.01) < 0.8);
    }

    [Fact]
    public void Power_WithNoEffect_IsAlpha() =>
        Assert.Equal(0.05, PowerCalculator.Power(1, 1, 1000, 1000, 0, alpha: 0.05), 12);
}
