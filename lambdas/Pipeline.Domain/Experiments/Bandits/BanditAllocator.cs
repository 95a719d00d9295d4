using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>
/// One bandit update: once the burn-in is over and the current period has lasted its length, the weights become each
/// arm's probability of being best on the primary metric (normal posteriors from the arms' estimates, Thompson
/// sampling, floored at the minimum share) and a new period starts. Assignments stay sticky: only users not yet
/// bucketed follow the new weights, which is why each period's entrants are checked against its own weights.
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
        if (!IsDue(experiment, now) || ChanceToBeBest(experiment, totals) is not { } best) return null;
        var periods = Periods(experiment);
        var weights = ThompsonWeights.Floor(best, experiment.Bandit!.MinimumShare);
        return experiment with
        {
            Variants = [.. experiment.Variants.Select((v, k) => v with { Weight = weights[k] })],
            WeightHistory = [.. periods, new BanditPeriod(periods.Count, now, weights, Current(experiment, totals))],
            WeightsChangedAt = now,
        };
    }

    /// <summary>Each arm's posterior probability of being best now (what the next update allocates before the floor); null while an arm has under two users.</summary>
    public static double[]? ChanceToBeBest(Experiment experiment, IReadOnlyList<VariantDayMetrics> totals)
    {
        var estimates = BanditEstimates.Estimate(experiment.PrimaryMetric, Current(experiment, totals));
        return estimates.Any(e => e is null)
            ? null
            : ThompsonWeights.ProbabilityBest([.. estimates.Select(e => e!.Value)], Seed(experiment.Key, Periods(experiment).Count));
    }

    /// <summary>Each arm's cumulative sums of the primary metric, in variant order.</summary>
    public static BanditArmTotals[] Current(Experiment experiment, IReadOnlyList<VariantDayMetrics> totals) =>
        [.. totals.Select(t => BanditEstimates.Totals(experiment.PrimaryMetric, t))];

    // FNV-1a of the key and period: reproducible across processes (string.GetHashCode is randomized per process).
    private static int Seed(string key, int period)
    {
        var hash = 2166136261u;
        foreach (var c in $"{key}#{period}") hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
