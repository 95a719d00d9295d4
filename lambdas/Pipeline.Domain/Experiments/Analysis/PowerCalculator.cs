using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// Power and sample size for a two-sided, two-sample test of means at level α (normal
/// approximation): power = Φ(|δ|/se − z₁₋α/₂) + Φ(−|δ|/se − z₁₋α/₂) with se = sqrt(vA/nA + vB/nB);
/// units per variant n = (z₁₋α/₂ + z_power)²(vA + vB)/δ² for equal allocation.
/// </summary>
public static class PowerCalculator
{
    public static double Power(double controlVariance, double treatmentVariance, long controlUnits, long treatmentUnits,
        double absoluteEffect, double alpha = 0.05)
    {
        AnalysisGuards.CheckAlpha(alpha);
        if (controlUnits <= 0 || treatmentUnits <= 0) throw new ArgumentOutOfRangeException(nameof(controlUnits), "Units must be > 0.");
        var se = Math.Sqrt(controlVariance / controlUnits + treatmentVariance / treatmentUnits);
        var z = NormalDistribution.Quantile(1 - alpha / 2);
        if (!(se > 0)) return absoluteEffect == 0 ? alpha : 1;
        var standardized = Math.Abs(absoluteEffect) / se;
        return NormalDistribution.Cdf(standardized - z) + NormalDistribution.Cdf(-standardized - z);
    }

    /// <summary>Units needed in each of two equally sized variants to detect absoluteEffect with the given power.</summary>
    public static long SampleSizePerVariant(double controlVariance, double treatmentVariance, double absoluteEffect,
        double alpha = 0.05, double power = 0.8)
    {
        AnalysisGuards.CheckAlpha(alpha);
        if (!(power > 0 && power < 1)) throw new ArgumentOutOfRangeException(nameof(power), power, "power must be in (0, 1).");
        if (absoluteEffect == 0 || double.IsNaN(absoluteEffect)) throw new ArgumentOutOfRangeException(nameof(absoluteEffect), "The effect to detect must be non-zero.");
        var z = NormalDistribution.Quantile(1 - alpha / 2) + NormalDistribution.Quantile(power);
        return (long)Math.Ceiling(z * z * (controlVariance + treatmentVariance) / (absoluteEffect * absoluteEffect) - 1e-9);
    }

    /// <summary>Units per variant for a conversion rate p to move to p(1 + relativeEffect).</summary>
    public static long SampleSizePerVariantForProportion(double baselineRate, double relativeEffect,
        double alpha = 0.05, double power = 0.8)
    {
        if (!(baselineRate > 0 && baselineRate < 1)) throw new ArgumentOutOfRangeException(nameof(baselineRate), baselineRate, "The baseline rate must be in (0, 1).");
        var treated = baselineRate * (1 + relativeEffect);
        if (!(treated > 0 && treated < 1)) throw new ArgumentOutOfRangeException(nameof(relativeEffect), relativeEffect, "The treated rate must be in (0, 1).");
        return SampleSizePerVariant(baselineRate * (1 - baselineRate), treated * (1 - treated), treated - baselineRate, alpha, power);
    }
}
