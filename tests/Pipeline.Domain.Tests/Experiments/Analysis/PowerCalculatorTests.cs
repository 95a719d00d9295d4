using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Tests.Experiments.Analysis;

public sealed class PowerCalculatorTests
{
    [Fact]
    public void Sample_size_for_ten_to_eleven_percent_at_80_percent_power_matches_the_normal_formula()
    {
        var n = PowerCalculator.SampleSizePerVariantForProportion(0.10, 0.10, alpha: 0.05, power: 0.8);

        var z = NormalDistribution.Quantile(0.975) + NormalDistribution.Quantile(0.8);
        Assert.Equal((long)Math.Ceiling(z * z * (0.09 + 0.11 * 0.89) / (0.01 * 0.01)), n);
        Assert.InRange(n, 14_700, 14_800);
    }

    [Fact]
    public void Power_at_the_computed_sample_size_reaches_the_target_and_one_unit_less_does_not()
    {
        var n = PowerCalculator.SampleSizePerVariantForProportion(0.10, 0.10);

        Assert.True(PowerCalculator.Power(0.09, 0.11 * 0.89, n, n, 0.01) >= 0.8);
        Assert.True(PowerCalculator.Power(0.09, 0.11 * 0.89, n - 1, n - 1, 0.01) < 0.8);
    }

    [Fact]
    public void Power_with_no_effect_is_alpha() =>
        Assert.Equal(0.05, PowerCalculator.Power(1, 1, 1000, 1000, 0, alpha: 0.05), 12);
}
