namespace Pipeline.Domain.Experiments.Analysis.Distributions;

/// <summary>Student's t distribution with ν degrees of freedom (ν may be fractional, as Welch's is).</summary>
public static class StudentTDistribution
{
    /// <summary>P(T ≤ t).</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        var tail = 0.5 * TwoSidedTail(t, degreesOfFreedom);
        return t > 0 ? 1 - tail : tail;
    }

    /// <summary>P(|T| ≥ |t|): the two-sided p-value of a t statistic.</summary>
    public static double TwoSidedPValue(double t, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        return Math.Min(1, TwoSidedTail(t, degreesOfFreedom));
    }

    /// <summary>The density at t.</summary>
    public static double Pdf(double t, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        var v = degreesOfFreedom;
        // f(t) = (1 + t²/ν)^(−(ν+1)/2) / (√ν · B(ν/2, 1/2)).
        return Math.Exp(-(v + 1) / 2 * SpecialFunctions.Log1P(t * t / v) - 0.5 * Math.Log(v)
                        - SpecialFunctions.LogBeta(v / 2, 0.5));
    }

    /// <summary>The t with P(T ≤ t) = p: Newton's method from the normal quantile, kept inside a bracket.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (!(p >= 0) || !(p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must be in [0, 1].");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);

        // p > 1/2: the root is positive. Bracket it, then Newton with bisection as the fallback.
        var low = 0.0;
        var high = Math.Max(1.0, NormalDistribution.Quantile(p));
        while (Cdf(high, degreesOfFreedom) < p) { low = high; high *= 2; }
        var t = Math.Clamp(NormalDistribution.Quantile(p), low, high);
        for (var i = 0; i < 200; i++)
        {
            var error = Cdf(t, degreesOfFreedom) - p;
            if (error == 0) return t;
            if (error > 0) high = t; else low = t;
            var next = t - error / Pdf(t, degreesOfFreedom);
            if (!(next > low && next < high)) next = 0.5 * (low + high);
            if (Math.Abs(next - t) <= 1e-14 * Math.Max(1, Math.Abs(t))) return next;
            t = next;
        }
        return t;
    }

    private static double TwoSidedTail(double t, double v)
    {
        // P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2), with 1 − x = t²/(ν+t²) kept exact.
        var t2 = t * t;
        return SpecialFunctions.RegularizedBeta(v / 2, 0.5, v / (v + t2), t2 / (v + t2));
    }

    private static void CheckDegreesOfFreedom(double v)
    {
        if (!(v > 0)) throw new ArgumentOutOfRangeException(nameof(v), v, "Degrees of freedom must be > 0.");
    }
}
