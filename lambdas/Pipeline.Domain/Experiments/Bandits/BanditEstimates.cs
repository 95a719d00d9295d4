using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// What a bandit's update and analysis read from the aggregates: each period's entrants per arm (for the SRM check of
/// that period against its own weights), and each arm's mean of the primary metric with its standard error.
/// The means are pooled over the arm's users, not period-weighted as GrowthBook's are: the aggregates record an outcome
/// on the day it happens, not under the period its user entered in, so a period's outcomes would mix cohorts (returning
/// users of an arm that had more traffic earlier would inflate its later periods). Pooling is unbiased while the
/// shoppers' behaviour does not drift during the experiment; under drift it carries Simpson's-paradox bias.
/// </summary>
public static class BanditEstimates
{
    /// <summary>Each period's totals per arm: those at the next period's start (or now) minus those at its start.</summary>
    public static IReadOnlyList<BanditArmTotals[]> PeriodDeltas(IReadOnlyList<BanditPeriod> periods, IReadOnlyList<BanditArmTotals> now) =>
        [.. periods.Select((period, p) =>
        {
            var end = p + 1 < periods.Count ? periods[p + 1].TotalsAtStart : now;
            return end.Select((totals, k) => totals.Minus(period.TotalsAtStart[k])).ToArray();
        })];

    /// <summary>Each arm's mean and standard error over its users so far; null for an arm with fewer than two users.</summary>
    public static (double Mean, double StandardError)?[] Estimate(string metric, IReadOnlyList<BanditArmTotals> now) =>
        [.. now.Select(arm =>
        {
            if (arm.Users < 2) return ((double, double)?)null;
            var summary = ExperimentMetrics.IsProportion(metric)
                ? SampleSummary.FromProportion(arm.Users, Math.Clamp((long)Math.Round(arm.Sum), 0, arm.Users))
                : SampleSummary.FromSums(arm.Users, arm.Sum, arm.SumOfSquares);
            return (summary.Mean, Math.Sqrt(summary.VarianceOfMean));
        })];

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
