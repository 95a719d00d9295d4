namespace Pipeline.Domain.Experiments.Analysis;

/// <summary>Multiple-testing adjustments; adjusted p-values are returned in input order, capped at 1.</summary>
public static class MultipleTesting
{
    /// <summary>Holm–Bonferroni (step-down, family-wise error rate).</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var order = Ascending(pValues);
        var m = order.Length;
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    /// <summary>Benjamini–Hochberg (step-up, false discovery rate).</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var order = Ascending(pValues);
        var m = order.Length;
        var adjusted = new double[m];
        var running = 1.0;
        for (var rank = m - 1; rank >= 0; rank--)
        {
            running = Math.Min(running, pValues[order[rank]] * m / (rank + 1));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    private static int[] Ascending(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Any(p => !(p >= 0 && p <= 1))) throw new ArgumentException("p-values must be in [0, 1].", nameof(pValues));
        // A stable sort keeps ties in input order.
        return Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToArray();
    }
}
