using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>A Beta(α, β) prior on a conversion rate.</summary>
public readonly record struct BetaPrior(double Alpha, double Beta)
{
    public static BetaPrior Uniform => new(1, 1);
}

/// <summary>
/// Bayesian chance to win for a conversion metric: P(pB &gt; pA) under independent Beta posteriors
/// Beta(α + conversions, β + units − conversions). Exact: Evan Miller's closed-form sum when the
/// treatment posterior's α is an integer, otherwise numerical integration of f_A(x)·(1 − I_x(αB, βB)).
/// </summary>
public static class BayesianChanceToWin
{
    private const int MaxClosedFormTerms = 5_000_000;

    public static double BetaBinomial(long controlUnits, long controlConversions, long treatmentUnits,
        long treatmentConversions, BetaPrior prior)
    {
        Check(controlUnits, controlConversions, nameof(controlConversions));
        Check(treatmentUnits, treatmentConversions, nameof(treatmentConversions));
        if (!(prior.Alpha > 0) || !(prior.Beta > 0)) throw new ArgumentOutOfRangeException(nameof(prior), "Prior parameters must be > 0.");
        return ProbabilityBExceedsA(
            prior.Alpha + controlConversions, prior.Beta + controlUnits - controlConversions,
            prior.Alpha + treatmentConversions, prior.Beta + treatmentUnits - treatmentConversions);
    }

    /// <summary>P(X_B &gt; X_A) for independent X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB).</summary>
    public static double ProbabilityBExceedsA(double aA, double bA, double aB, double bB)
    {
        if (IsSmallInteger(aB)) return Math.Clamp(ClosedForm(aA, bA, aB, bB), 0, 1);
        if (IsSmallInteger(aA)) return Math.Clamp(1 - ClosedForm(aB, bB, aA, bA), 0, 1);
        return Math.Clamp(Integrate(aA, bA, aB, bB), 0, 1);
    }

    /// <summary>Σ_{i=0}^{aB−1} B(aA + i, bA + bB) / ((bB + i)·B(1 + i, bB)·B(aA, bA)) — needs integer aB.</summary>
    public static double ClosedForm(double aA, double bA, double aB, double bB)
    {
        if (!IsSmallInteger(aB)) throw new ArgumentException("The closed form needs an integer treatment alpha.", nameof(aB));
        var logBetaA = SpecialFunctions.LogBeta(aA, bA);
        var total = 0.0;
        var compensation = 0.0;
        for (var i = 0; i < (int)aB; i++)
        {
            var term = Math.Exp(SpecialFunctions.LogBeta(aA + i, bA + bB) - Math.Log(bB + i)
                                - SpecialFunctions.LogBeta(1 + i, bB) - logBetaA);
            // Kahan summation: thousands of terms.
            var y = term - compensation;
            var t = total + y;
            compensation = (t - total) - y;
            total = t;
        }
        return total;
    }

    /// <summary>∫ f_A(x)·(1 − I_x(aB, bB)) dx by composite 16-point Gauss–Legendre over A's mass.</summary>
    public static double Integrate(double aA, double bA, double aB, double bB)
    {
        var mean = aA / (aA + bA);
        var sd = Math.Sqrt(aA * bA / ((aA + bA) * (aA + bA) * (aA + bA + 1)));
        var low = Math.Max(0, mean - 40 * sd);
        var high = Math.Min(1, mean + 40 * sd);
        const int panels = 400;
        var width = (high - low) / panels;
        var logBetaA = SpecialFunctions.LogBeta(aA, bA);
        var total = 0.0;
        for (var panel = 0; panel < panels; panel++)
        {
            var center = low + (panel + 0.5) * width;
            for (var k = 0; k < GaussLegendre.Nodes.Length; k++)
            {
                var x = center + 0.5 * width * GaussLegendre.Nodes[k];
                if (x <= 0 || x >= 1) continue;
                var density = Math.Exp((aA - 1) * Math.Log(x) + (bA - 1) * Math.Log(1 - x) - logBetaA);
                total += 0.5 * width * GaussLegendre.Weights[k] * density
                         * (1 - SpecialFunctions.RegularizedBeta(aB, bB, x));
            }
        }
        return total;
    }

    private static bool IsSmallInteger(double value) =>
        value >= 1 && value <= MaxClosedFormTerms && value == Math.Floor(value);

    private static void Check(long units, long conversions, string name)
    {
        if (units < 0 || conversions < 0 || conversions > units)
            throw new ArgumentOutOfRangeException(name, conversions, "Conversions must be between 0 and units.");
    }

    private static class GaussLegendre
    {
        public static readonly double[] Nodes =
        [
            -0.9894009349916499, -0.9445750230732326, -0.8656312023878318, -0.7554044083550030,
            -0.6178762444026438, -0.4580167776572274, -0.2816035507792589, -0.0950125098376374,
            0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438,
            0.7554044083550030, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499,
        ];

        public static readonly double[] Weights =
        [
            0.0271524594117541, 0.0622535239386479, 0.0951585116824928, 0.1246289712555339,
            0.1495959888165767, 0.1691565193950025, 0.1826034150449236, 0.1894506104550685,
            0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767,
            0.1246289712555339, 0.0951585116824928, 0.0622535239386479, 0.0271524594117541,
        ];
    }
}
