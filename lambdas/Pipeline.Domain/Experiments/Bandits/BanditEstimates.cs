using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// What a bandit's update and analysis read from the aggregates. Every user is stamped at their first exposure with the
/// period whose weights bucketed them, and every daily row carries that period, so the rows of one period are one
/// cohort: its entrants per arm (the SRM check of that period against its own weights) and all their outcomes.
/// The arms' estimates are period-weighted as GrowthBook's (weight_by_period): each period's arm means, combined with
/// the period's share of the users as weights, the same weights for every arm. A pooled mean would weigh each period
/// by the arm's own traffic in it, which differs between arms once the weights move; if behaviour drifts between
/// periods that is Simpson's paradox (the pooled comparison can even point the wrong way).
/// </summary>
public static class BanditEstimates
{
    /// <summary>A period enters the weighted estimates when every arm has at least this many users in it (a variance needs two).</summary>
    public const int MinimumUsersPerArm = 2;

    /// <summary>Each period's totals per arm (users who entered in it and their outcomes), for periods 0 … <paramref name="periods"/> − 1 and any later period a row names.</summary>
    public static BanditArmTotals[][] ByPeriod(string metric, IReadOnlyList<string> variants, int periods, IReadOnlyList<VariantDayMetrics> daily)
    {
        var count = Math.Max(periods, daily.Count == 0 ? 0 : daily.Max(d => d.Period) + 1);
        var result = Enumerable.Range(0, count).Select(_ => variants.Select(_ => BanditArmTotals.Zero).ToArray()).ToArray();
        foreach (var row in daily)
        {
            var k = IndexOf(variants, row.VariantKey);
            if (k < 0 || row.Period < 0) continue;
            result[row.Period][k] = result[row.Period][k].Plus(Totals(metric, row));
        }
        return result;
    }

    /// <summary>
    /// Each arm's period-weighted mean and standard error: Σ_p w_p · mean_pk with w_p = N_p / N (N_p the users of period p
    /// over all arms) and variance Σ_p w_p² · Var(mean_pk). Only periods where every arm has
    /// <see cref="MinimumUsersPerArm"/> users count (so every arm is weighed over the same periods); all null when none does.
    /// With a single period this is each arm's plain mean.
    /// </summary>
    public static (double Mean, double StandardError)?[] Weighted(string metric, IReadOnlyList<BanditArmTotals[]> byPeriod)
    {
        var arms = byPeriod.Count == 0 ? 0 : byPeriod[0].Length;
        var used = byPeriod.Where(Counts).ToArray();
        if (used.Length == 0) return new (double, double)?[arms];
        double total = used.Sum(p => p.Sum(a => a.Users));
        return [.. Enumerable.Range(0, arms).Select(k =>
        {
            double mean = 0, variance = 0;
            foreach (var period in used)
            {
                var w = period.Sum(a => a.Users) / total;
                var s = Summary(metric, period[k]);
                mean += w * s.Mean;
                variance += w * w * s.VarianceOfMean;
            }
            return ((double, double)?)(mean, Math.Sqrt(variance));
        })];
    }

    /// <summary>
    /// Each arm's period-weighted estimate of <paramref name="metric"/> as a sample summary the analysis library reads:
    /// Mean = Σ_p w_p · mean_pk (as <see cref="Weighted"/>), Units = the arm's users in the periods that count, and
    /// Variance = Units · Σ_p w_p² · Var(mean_pk), so that VarianceOfMean is the weighted estimate's variance. With a single
    /// period this is the arm's plain summary. All null when no period counts.
    /// </summary>
    public static SampleSummary?[] WeightedSummaries(string metric, IReadOnlyList<BanditArmTotals[]> byPeriod)
    {
        var arms = byPeriod.Count == 0 ? 0 : byPeriod[0].Length;
        var used = byPeriod.Where(Counts).ToArray();
        if (used.Length == 0) return new SampleSummary?[arms];
        double total = used.Sum(p => p.Sum(a => a.Users));
        return [.. Enumerable.Range(0, arms).Select(k =>
            (SampleSummary?)Combine(used.Select(period => (period.Sum(a => a.Users) / total, Summary(metric, period[k])))))];
    }

    /// <summary>
    /// Σ_p w_p · mean_p as a sample summary: Units = the periods' units, Variance = Units · Σ_p w_p² · Var(mean_p), so that
    /// VarianceOfMean is the weighted estimate's variance.
    /// </summary>
    public static SampleSummary Combine(IEnumerable<(double Weight, SampleSummary Sample)> periods)
    {
        double mean = 0, varianceOfMean = 0;
        long units = 0;
        foreach (var (w, s) in periods)
        {
            mean += w * s.Mean;
            varianceOfMean += w * w * s.VarianceOfMean;
            units += s.Units;
        }
        return new SampleSummary(units, mean, varianceOfMean * units);
    }

    /// <summary>Whether a period enters the weighted estimates: every arm has <see cref="MinimumUsersPerArm"/> users in it.</summary>
    public static bool Counts(BanditArmTotals[] period) => period.All(a => a.Users >= MinimumUsersPerArm);

    /// <summary>
    /// The periods left out of the weighted estimates (some arm has fewer than <see cref="MinimumUsersPerArm"/> users
    /// in them) that have users at all, and those users (all arms): the data the period-weighted figures do not see.
    /// </summary>
    public static (int Periods, long Users) Skipped(IReadOnlyList<BanditArmTotals[]> byPeriod)
    {
        var skipped = byPeriod.Where(p => !Counts(p) && p.Any(a => a.Users > 0)).ToArray();
        return (skipped.Length, skipped.Sum(p => p.Sum(a => a.Users)));
    }

    /// <summary>
    /// The period-weighted absolute lift of arm <paramref name="arm"/> over arm 0 (the control): Σ_p w_p (mean_pk − mean_p0)
    /// with its standard error; null when no period has users in every arm.
    /// </summary>
    public static (double Lift, double StandardError)? WeightedLift(string metric, IReadOnlyList<BanditArmTotals[]> byPeriod, int arm)
    {
        var used = byPeriod.Where(Counts).ToArray();
        if (used.Length == 0) return null;
        double total = used.Sum(p => p.Sum(a => a.Users));
        double lift = 0, variance = 0;
        foreach (var period in used)
        {
            var w = period.Sum(a => a.Users) / total;
            var (c, t) = (Summary(metric, period[0]), Summary(metric, period[arm]));
            lift += w * (t.Mean - c.Mean);
            variance += w * w * (t.VarianceOfMean + c.VarianceOfMean);
        }
        return (lift, Math.Sqrt(variance));
    }

    /// <summary>Each arm's mean and standard error pooled over its users (what the weighted estimate replaces); null for an arm with fewer than two users.</summary>
    public static (double Mean, double StandardError)?[] Estimate(string metric, IReadOnlyList<BanditArmTotals> now) =>
        [.. now.Select(arm =>
        {
            if (arm.Users < 2) return ((double, double)?)null;
            var summary = Summary(metric, arm);
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

    private static SampleSummary Summary(string metric, BanditArmTotals arm) => ExperimentMetrics.IsProportion(metric)
        ? SampleSummary.FromProportion(arm.Users, Math.Clamp((long)Math.Round(arm.Sum), 0, arm.Users))
        : SampleSummary.FromSums(arm.Users, arm.Sum, arm.SumOfSquares);

    private static int IndexOf(IReadOnlyList<string> variants, string key)
    {
        for (var k = 0; k < variants.Count; k++)
        {
            if (variants[k] == key) return k;
        }
        return -1;
    }
}
