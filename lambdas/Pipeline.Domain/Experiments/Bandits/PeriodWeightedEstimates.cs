using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// The arms' means on the primary metric when their shares changed over time. Pooling all users would be biased (the
/// arm that got more traffic late is compared on a different mix of days: Simpson's paradox); instead each period is
/// compared within itself and the periods are averaged with weights proportional to all the users who entered in them,
/// as GrowthBook's bandits do. A period's outcomes are those recorded during it (in compressed simulated time almost
/// all of them come from users who entered in the same period).
/// </summary>
public static class PeriodWeightedEstimates
{
    /// <summary>Each period's users, sums and sums of squares per arm: the totals at the next period's start (or now) minus those at its start.</summary>
    public static IReadOnlyList<BanditArmTotals[]> PeriodDeltas(IReadOnlyList<BanditPeriod> periods, IReadOnlyList<BanditArmTotals> now) =>
        [.. periods.Select((period, p) =>
        {
            var end = p + 1 < periods.Count ? periods[p + 1].TotalsAtStart : now;
            return end.Select((totals, k) => totals.Minus(period.TotalsAtStart[k])).ToArray();
        })];

    /// <summary>Each arm's period-weighted mean and its standard error; null for an arm with fewer than two users.</summary>
    public static (double Mean, double StandardError)?[] Estimate(string metric, IReadOnlyList<BanditPeriod> periods, IReadOnlyList<BanditArmTotals> now)
    {
        var deltas = PeriodDeltas(periods, now);
        var arms = now.Count;
        var estimates = new (double Mean, double StandardError)?[arms];
        for (var k = 0; k < arms; k++)
        {
            double weightSum = 0, mean = 0, variance = 0;
            foreach (var period in deltas)
            {
                var arm = period[k];
                if (arm.Users < 2) continue;
                var w = (double)period.Sum(a => a.Users);
                var summary = ExperimentMetrics.IsProportion(metric)
                    ? SampleSummary.FromProportion(arm.Users, (long)Math.Round(arm.Sum))
                    : SampleSummary.FromSums(arm.Users, arm.Sum, arm.SumOfSquares);
                weightSum += w;
                mean += w * summary.Mean;
                variance += w * w * Math.Max(summary.Variance, 0) / arm.Users;
            }
            if (weightSum > 0) estimates[k] = (mean / weightSum, Math.Sqrt(variance) / weightSum);
        }
        return estimates;
    }

    /// <summary>An arm's cumulative sums of <paramref name="metric"/> from its aggregates (for 0/1 metrics Σ Y² = Σ Y).</summary>
    public static BanditArmTotals Totals(string metric, VariantDayMetrics t) => metric switch
    {
        ExperimentMetrics.ClickThroughRate => new(t.ExposedUsers, t.Clickers, t.Clickers),
        ExperimentMetrics.ConversionRate => new(t.ExposedUsers, t.Purchasers, t.Purchasers),
        ExperimentMetrics.RevenuePerUser => new(t.ExposedUsers, t.Revenue, t.RevenueSumOfSquares),
        ExperimentMetrics.ClicksPerUser => new(t.ExposedUsers, t.Clicks, t.ClicksSumOfSquares),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };
}
