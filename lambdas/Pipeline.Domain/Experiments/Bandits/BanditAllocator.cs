using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// One bandit update: once the burn-in is over and the current period has lasted its length, the weights become each
/// arm's probability of being best on the primary metric (period-weighted estimates, Thompson sampling, floored at
/// the minimum share) and a new period starts. Assignments stay sticky: only users not yet bucketed follow the new
/// weights, which is why each period is analysed on its own.
/// </summary>
public static class BanditAllocator
{
    /// <summary>The periods so far; before the first update, the one the experiment started with (its configured weights, no users yet).</summary>
    public static IReadOnlyList<BanditPeriod> Periods(Experiment experiment) =>
        experiment.WeightHistory.Count > 0
            ? experiment.WeightHistory
            : [new BanditPeriod(0, experiment.StartedAt ?? experiment.CreatedAt, [.. experiment.Variants.Select(v => v.Weight)],
                [.. experiment.Variants.Select(_ => BanditArmTotals.Zero)])];

    public static bool IsDue(Experiment experiment, DateTimeOffset now) =>
        experiment is { Allocation: ExperimentAllocation.Bandit, Status: ExperimentStatus.Running, Bandit: { } settings, StartedAt: { } started }
        && now >= started + settings.BurnIn
        && now >= Periods(experiment)[^1].StartedAt + settings.Period;

    /// <summary>The experiment with new weights and a new period, or null when no update is due or an arm has no estimate yet.</summary>
    public static Experiment? Update(Experiment experiment, IReadOnlyList<VariantDayMetrics> totals, DateTimeOffset now)
    {
        if (!IsDue(experiment, now)) return null;
        var periods = Periods(experiment);
        var current = totals.Select(t => PeriodWeightedEstimates.Totals(experiment.PrimaryMetric, t)).ToArray();
        var estimates = PeriodWeightedEstimates.Estimate(experiment.PrimaryMetric, periods, current);
        if (estimates.Any(e => e is null)) return null;
        var best = ThompsonWeights.ProbabilityBest([.. estimates.Select(e => e!.Value)], Seed(experiment.Key, periods.Count));
        var weights = ThompsonWeights.Floor(best, experiment.Bandit!.MinimumShare);
        return experiment with
        {
            Variants = [.. experiment.Variants.Select((v, k) => v with { Weight = weights[k] })],
            WeightHistory = [.. periods, new BanditPeriod(periods.Count, now, weights, current)],
            WeightsChangedAt = now,
        };
    }

    /// <summary>The posterior probability of being best of each arm now (what the next update would allocate before the floor).</summary>
    public static double[]? ChanceToBeBest(Experiment experiment, IReadOnlyList<VariantDayMetrics> totals)
    {
        var current = totals.Select(t => PeriodWeightedEstimates.Totals(experiment.PrimaryMetric, t)).ToArray();
        var estimates = PeriodWeightedEstimates.Estimate(experiment.PrimaryMetric, Periods(experiment), current);
        return estimates.Any(e => e is null) ? null : ThompsonWeights.ProbabilityBest([.. estimates.Select(e => e!.Value)], Seed(experiment.Key, Periods(experiment).Count));
    }

    // FNV-1a of the key and period: reproducible across processes (string.GetHashCode is randomized per process).
    private static int Seed(string key, int period)
    {
        var hash = 2166136261u;
        foreach (var c in $"{key}#{period}") hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
