namespace Pipeline.Domain.Experiments.Analysis.Distributions;

/// <summary>The chi-square distribution with k degrees of freedom.</summary>
public static class ChiSquareDistribution
{
    /// <summary>P(X ≤ x).</summary>
    public static double Cdf(double x, double degreesOfFreedom)
    {
        Check(degreesOfFreedom);
        return x <= 0 ? 0 : SpecialFunctions.RegularizedGammaP(degreesOfFreedom / 2, x / 2);
    }

    /// <summary>P(X &gt; x): the p-value of a chi-square statistic.</summary>
    public static double Survival(double x, double degreesOfFreedom)
    {
        Check(degreesOfFreedom);
        return x <= 0 ? 1 : SpecialFunctions.RegularizedGammaQ(degreesOfFreedom / 2, x / 2);
    }

    /// <summary>The density at x.</summary>
    public static double Pdf(double x, double degreesOfFreedom)
    {
        Check(degreesOfFreedom);
        if (x < 0) return 0;
        var k = degreesOfFreedom / 2;
        if (x == 0) return k == 1 ? 0.5 : k < 1 ? double.PositiveInfinity : 0;
        return Math.Exp((k - 1) * Math.Log(x) - x / 2 - k * Math.Log(2) - SpecialFunctions.LogGamma(k));
    }

    private static void Check(double v)
    {
        if (!(v > 0)) throw new ArgumentOutOfRangeException(nameof(v), v, "Degrees of freedom must be > 0.");
    }
}
