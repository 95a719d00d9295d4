namespace Pipeline.Domain.Experiments.Bandits;

/// <summary>How an experiment shares its traffic: fixed weights, or weights a bandit updates every period.</summary>
public static class ExperimentAllocation
{
    public const string Fixed = "fixed";
    public const string Bandit = "bandit";

    public static IReadOnlyList<string> All { get; } = [Fixed, Bandit];
}

/// <summary>
/// A bandit's schedule, as GrowthBook's: weights stay as configured during <paramref name="BurnIn"/> (the exploration
/// window), then every <paramref name="Period"/> they become each variant's posterior probability of being best on the
/// primary metric (Thompson sampling), never below <paramref name="MinimumShare"/>, so every arm keeps being measured.
/// Periods can be seconds: simulated traffic compresses a day into a minute.
/// </summary>
public sealed record BanditSettings(TimeSpan Period, double MinimumShare, TimeSpan BurnIn)
{
    public static BanditSettings Default { get; } = new(TimeSpan.FromHours(1), 0.01, TimeSpan.FromDays(1));
}

/// <summary>One arm's cumulative sums of the primary metric when a period started (users entered, Σ Y, Σ Y²).</summary>
public sealed record BanditArmTotals(long Users, double Sum, double SumOfSquares)
{
    public static BanditArmTotals Zero { get; } = new(0, 0, 0);

    public BanditArmTotals Minus(BanditArmTotals earlier) => new(Users - earlier.Users, Sum - earlier.Sum, SumOfSquares - earlier.SumOfSquares);

    public BanditArmTotals Plus(BanditArmTotals other) => new(Users + other.Users, Sum + other.Sum, SumOfSquares + other.SumOfSquares);
}

/// <summary>
/// One period of a bandit: the weights new users were bucketed with from <paramref name="StartedAt"/>, and each arm's
/// cumulative totals at that moment (a record of the history; the period's own users and outcomes are read from the
/// rows stamped with its number, see <see cref="BanditEstimates"/>).
/// </summary>
public sealed record BanditPeriod(int Number, DateTimeOffset StartedAt, IReadOnlyList<double> Weights, IReadOnlyList<BanditArmTotals> TotalsAtStart);
