using Pipeline.Domain.Experiments.Analysis;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>The results of a bandit experiment: periods with their own SRM checks, the arms' estimates, a winner at 95%.</summary>
public static class BanditAnalysis
{
    /// <summary>GrowthBook's rule: an arm whose probability of being best reaches 95% is the winner.</summary>
    public const double WinnerThreshold = 0.95;

    /// <summary>
    /// The bandit section of the results from the phase's rows: each period's entrants (the users stamped with it) and
    /// their SRM check against its weights, and each arm's period-weighted estimate, lift over the control and chance to
    /// be best on the primary metric.
    /// </summary>
    public static BanditResults Analyze(Experiment experiment, IReadOnlyList<VariantDayMetrics> daily)
    {
        var periods = BanditAllocator.Periods(experiment);
        var byPeriod = BanditAllocator.ByPeriod(experiment, daily);
        var periodResults = periods.Select((period, p) =>
        {
            var users = byPeriod[p].Select(d => d.Users).ToArray();
            var included = Enumerable.Range(0, users.Length).Where(k => period.Weights[k] > 0).ToArray();
            SrmResult? srm = included.Length >= 2 && included.Sum(k => users[k]) > 0
                ? SampleRatioMismatch.Test([.. included.Select(k => users[k])], [.. included.Select(k => period.Weights[k])])
                : null;
            return new BanditPeriodResult(period.Number, period.StartedAt, period.Weights, users, srm?.PValue, srm?.IsMismatch ?? false,
                BanditEstimates.Counts(byPeriod[p]));
        }).ToArray();
        var estimates = BanditEstimates.Weighted(experiment.PrimaryMetric, byPeriod);
        var chance = BanditAllocator.ChanceToBeBest(experiment, daily);
        var arms = experiment.Variants.Select((v, k) =>
        {
            var lift = k == 0 ? null : BanditEstimates.WeightedLift(experiment.PrimaryMetric, byPeriod, k);
            return new BanditArmEstimate(v.Key, estimates[k]?.Mean, estimates[k]?.StandardError, chance?[k], lift?.Lift, lift?.StandardError);
        }).ToArray();
        var (skippedPeriods, skippedUsers) = BanditEstimates.Skipped(byPeriod);
        return new BanditResults(periodResults, arms, arms.FirstOrDefault(a => a.ChanceToBeBest >= WinnerThreshold)?.Variant,
            skippedPeriods, skippedUsers);
    }

    /// <summary>The experiment-level SRM of a bandit: the smallest p-value of its periods (each against its own weights).</summary>
    public static SrmCheck Srm(BanditResults bandit, IReadOnlyList<long> users, IReadOnlyList<double> shares)
    {
        var checkedPeriods = bandit.Periods.Where(p => p.SrmPValue is not null).ToArray();
        if (checkedPeriods.Length == 0)
        {
            return new SrmCheck(users, shares, null, null, false, null, "not enough users to check the sample ratio");
        }
        var worst = checkedPeriods.MinBy(p => p.SrmPValue)!;
        return new SrmCheck(users, shares, null, worst.SrmPValue, worst.SrmMismatch, null,
            worst.SrmMismatch
                ? $"sample ratio mismatch in bandit period {worst.Period} (p < 0.001): the assignment or exposure logging is broken; do not trust the estimates"
                : "bandit: checked per period (users who entered in each period against its weights); the smallest p-value is shown");
    }
}
