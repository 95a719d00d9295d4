using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// A bandit's guardrails, period-weighted as its metrics are (<see cref="BanditEstimates"/>): pooling each arm's lists
/// over all periods would set the treatment's mostly-late lists against the control's mostly-early ones once the weights
/// moved, and a fallback rate or a latency that drifts over time (a cold start, a busier hour) would then read as harm.
/// Each period that counts (every arm with <see cref="BanditEstimates.MinimumUsersPerArm"/> users) compares the two
/// arms' lists of that period; the periods are combined with their share of the users as weights, the same for both
/// arms. For <see cref="GuardrailMetrics.LatencyP99"/> the threshold is one for all periods (the pooled p99's bucket over
/// the periods that count), so the result still names one <c>threshold_ms</c>; with no harm the two arms' shares above
/// it are equal in every period, whatever the threshold, so the weighted difference is centred on 0 as well.
/// </summary>
public static class BanditGuardrails
{
    /// <summary>Each period's totals per arm (in variant order), for the periods that count; read once for every guardrail.</summary>
    public static VariantDayMetrics[][] CountedPeriods(IReadOnlyList<string> variants, IReadOnlyList<VariantDayMetrics> daily) =>
        [.. daily.Select(d => d.Period).Distinct().Order()
            .Select(p => ExperimentAnalyzer.Totals(variants, daily, d => d.Period == p))
            .Where(arms => arms.All(a => a.ExposedUsers >= BanditEstimates.MinimumUsersPerArm))];

    public static (SampleSummary? Control, SampleSummary? Treatment, double? ControlValue, double? TreatmentValue, double? ThresholdMs) Compare(
        string guardrail, IReadOnlyList<VariantDayMetrics[]> periods, int treatment)
    {
        var control = Pooled(periods, 0);
        var challenger = Pooled(periods, treatment);

        double? thresholdMs = null;
        Func<VariantDayMetrics, SampleSummary?> sample = arm => MetricSamples.Guardrail(guardrail, arm);
        if (guardrail == GuardrailMetrics.LatencyP99)
        {
            if (LatencyTail.ThresholdBucket(control.LatencyHistogram.Add(challenger.LatencyHistogram)) is not { } bucket)
            {
                return (null, null, null, null, null);
            }
            thresholdMs = LatencyHistogram.LowerBoundMs(bucket);
            sample = arm => arm.LatencyHistogram.Total < 2 ? null : LatencyTail.Above(arm.LatencyHistogram, bucket);
        }

        var used = periods
            .Select(p => (Users: p.Sum(a => a.ExposedUsers), Control: sample(p[0]), Treatment: sample(p[treatment])))
            .Where(p => p.Control is not null && p.Treatment is not null)
            .ToArray();
        if (used.Length == 0)
        {
            return (null, null, null, null, thresholdMs);
        }
        double users = used.Sum(p => p.Users);
        var a = BanditEstimates.Combine(used.Select(p => (p.Users / users, p.Control!)));
        var b = BanditEstimates.Combine(used.Select(p => (p.Users / users, p.Treatment!)));
        return guardrail == GuardrailMetrics.LatencyP99
            ? (a, b, LatencyTail.P99Ms(control), LatencyTail.P99Ms(challenger), thresholdMs)
            : (a, b, a.Mean, b.Mean, null);
    }

    private static VariantDayMetrics Pooled(IReadOnlyList<VariantDayMetrics[]> periods, int arm) =>
        periods.Select(p => p[arm]).Aggregate(new VariantDayMetrics("", DateOnly.MinValue), (sum, row) => sum.Add(row));
}
