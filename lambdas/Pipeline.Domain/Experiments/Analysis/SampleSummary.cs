namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>
/// One variant's metric as sufficient statistics: the number of units (users), the per-unit mean
/// and the per-unit variance.
/// </summary>
public sealed record SampleSummary(long Units, double Mean, double Variance)
{
    /// <summary>The variance of the mean, Variance / Units.</summary>
    public double VarianceOfMean => Variance / Units;

    /// <summary>A binomial metric: mean p = conversions / units and variance p(1 − p).</summary>
    public static SampleSummary FromProportion(long units, long conversions)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), units, "A variant needs at least one unit.");
        if (conversions < 0 || conversions > units)
            throw new ArgumentOutOfRangeException(nameof(conversions), conversions, "Conversions must be between 0 and units.");
        var p = (double)conversions / units;
        return new SampleSummary(units, p, p * (1 - p));
    }

    /// <summary>A mean metric from Σx and Σx²: variance (Σx² − (Σx)²/n) / (n − 1).</summary>
    public static SampleSummary FromSums(long units, double sum, double sumOfSquares)
    {
        if (units < 2) throw new ArgumentOutOfRangeException(nameof(units), units, "A mean metric needs at least two units.");
        var variance = Math.Max(0, (sumOfSquares - sum * sum / units) / (units - 1));
        return new SampleSummary(units, sum / units, variance);
    }
}
