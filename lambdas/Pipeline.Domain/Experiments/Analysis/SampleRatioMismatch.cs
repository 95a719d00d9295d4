using Pipeline.Domain.Experiments.Analysis.Distributions;

namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>The outcome of a sample-ratio-mismatch check.</summary>
public sealed record SrmResult(double ChiSquare, double PValue, int DegreesOfFreedom, bool IsMismatch);

/// <summary>
/// Sample ratio mismatch: Pearson's chi-square goodness-of-fit of the observed units per variant
/// against the configured traffic weights (normalized to sum to 1), k − 1 degrees of freedom.
/// A mismatch is flagged when p &lt; 0.001.
/// </summary>
public static class SampleRatioMismatch
{
    public const double DefaultThreshold = 0.001;

    public static SrmResult Test(IReadOnlyList<long> observed, IReadOnlyList<double> weights, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(weights);
        if (observed.Count != weights.Count) throw new ArgumentException("observed and weights must have the same length.", nameof(weights));
        if (observed.Count < 2) throw new ArgumentException("An SRM check needs at least two variants.", nameof(observed));
        if (observed.Any(o => o < 0)) throw new ArgumentException("Observed counts must be >= 0.", nameof(observed));
        if (weights.Any(w => !(w > 0))) throw new ArgumentException("Weights must be > 0.", nameof(weights));
        double total = observed.Sum();
        if (total <= 0) throw new ArgumentException("An SRM check needs at least one observed unit.", nameof(observed));
        var weightSum = weights.Sum();
        var chiSquare = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var expected = total * weights[i] / weightSum;
            var deviation = observed[i] - expected;
            chiSquare += deviation * deviation / expected;
        }
        var df = observed.Count - 1;
        var pValue = ChiSquareDistribution.Survival(chiSquare, df);
        return new SrmResult(chiSquare, pValue, df, pValue < threshold);
    }
}
