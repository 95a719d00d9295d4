using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// One bandit update: once the burn-in is over and the current period has lasted its length, the weights become each
/// arm's probability of being best on the primary metric (normal posteriors from the arms' period-weighted estimates,
/// Thompson sampling, floored at the minimum share) and a new period starts. Assignments stay sticky: only users not yet
/// bucketed follow the new weights, which is why users are stamped with the period that bucketed them and each period's
/// entrants are checked against its own weights.
/// </summary>
public static class BanditAllocator
{
    /// <summary>The periods so far; before the first update, the one the experiment started with (its configured weights, no users yet).</summary>
    public static IReadOnlyList<BanditPeriod> Periods(Experiment experiment) =>
        experiment.WeightHistory.Count > 0
            ? experiment.WeightHistory
            : [new BanditPeriod(0, experiment.StartedAt ?? experiment.CreatedAt, [.. experiment.Variants.Select(v => v.Weight)],
                [.. experiment.Variants.Select(_ => BanditArmTotals.Zero)])];

    /// <summary>The period whose weights bucket users now: the number of the last period (0 for a fixed split or before the first update).</summary>
    public static int CurrentPeriod(Experiment experiment) =>
        experiment.Allocation == ExperimentAllocation.Bandit && experiment.WeightHistory.Count > 0 ? experiment.WeightHistory[^1].Number : 0;

    public static bool IsDue(Experiment experiment, DateTimeOffset now) =>
        experiment is { Allocation: ExperimentAllocation.Bandit, Status: ExperimentStatus.Running, Bandit: { } settings, StartedAt: { } started }
        && now >= started + settings.BurnIn
        && now >= Periods(experiment)[^1].StartedAt + settings.Period;

    /// <summary>
    /// The experiment with new weights and a new period, or null when no update is due or an arm has no estimate yet.
    /// <paramref name="daily"/> are the phase's rows (each with the period its users entered in).
    /// </summary>
    public static Experiment? Update(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily, DateTimeOffset now)
    {
        if (!IsDue(experiment, now) || ChanceToBeBest(experiment, daily) is not { } best) return null;
        var periods = Periods(experiment);
        var weights = ThompsonWeights.Floor(best, experiment.Bandit!.MinimumShare);
        return experiment with
        {
            Variants = [.. experiment.Variants.Select((v, k) => v with { Weight = weights[k] })],
            WeightHistory = [.. periods, new BanditPeriod(periods.Count, now, weights, Current(experiment, daily))],
            WeightsChangedAt = now,
        };
    }

    /// <summary>
    /// Each arm's posterior probability of being best now, from the period-weighted estimates (what the next update
    /// allocates before the floor); null until some period has two users in every arm.
    /// </summary>
    public static double[]? ChanceToBeBest(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily)
    {
        var estimates = Estimates(experiment, daily);
        return estimates.Any(e => e is null)
            ? null
            : ThompsonWeights.ProbabilityBest([.. estimates.Select(e => e!.Value)], Seed(experiment.Key, Periods(experiment).Count));
    }

    /// <summary>Each arm's period-weighted mean and standard error of the primary metric, in variant order.</summary>
    public static (double Mean, double StandardError)?[] Estimates(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily) =>
        BanditEstimates.Weighted(experiment.PrimaryMetric, ByPeriod(experiment, daily));

    /// <summary>Each period's totals of the primary metric per arm, from the rows stamped with it.</summary>
    public static BanditArmTotals[][] ByPeriod(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily) =>
        BanditEstimates.ByPeriod(experiment.PrimaryMetric, [.. experiment.Variants.Select(v => v.Key)], Periods(experiment).Count, daily);

    /// <summary>Each arm's cumulative sums of the primary metric over all its rows, in variant order.</summary>
    public static BanditArmTotals[] Current(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily) =>
        [.. experiment.Variants.Select(v => daily.Where(d => d.VariantKey == v.Key)
            .Aggregate(BanditArmTotals.Zero, (sum, row) => sum.Plus(BanditEstimates.Totals(experiment.PrimaryMetric, row))))];

    // FNV-1a of the key and period: reproducible across processes (string.GetHashCode is randomized per process).
    private static int Seed(string key, int period)
    {
        var hash = 2166136261u;
        foreach (var c in $"{key}#{period}") hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
