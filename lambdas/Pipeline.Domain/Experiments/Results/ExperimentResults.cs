namespace Pipeline.Domain.Experiments.Results;

/// <summary>
/// Everything the results endpoint and the HTML report show, computed once from the daily aggregates.
/// Numbers that cannot be computed yet (too few users, a zero control mean) are null, never NaN.
/// </summary>
public sealed record ExperimentResults(
    string ExperimentKey,
    string Status,
    int Phase,
    string Control,
    string PrimaryMetric,
    double MinimumDetectableEffect,
    DateOnly? FirstDay,
    DateOnly? LastDay,
    IReadOnlyList<VariantSummary> Variants,
    SrmCheck Srm,
    IReadOnlyList<MetricResult> Metrics,
    IReadOnlyList<GuardrailResult> Guardrails,
    IReadOnlyList<TimelinePoint> Timeline,
    AnalysisSettings Settings,
    BanditResults? Bandit = null);

/// <summary>
/// A bandit's own analysis: its weight history with each period's users and SRM check (users stamped with a period
/// against that period's weights), the arms' period-weighted means and lifts of the primary metric and each arm's
/// chance to be best.
/// </summary>
/// <param name="SkippedPeriods">Periods with users that the period-weighted estimates (here and in the metrics section)
/// leave out because some arm has fewer than <see cref="Bandits.BanditEstimates.MinimumUsersPerArm"/> users in them.</param>
/// <param name="SkippedUsers">The users (all arms) of those periods.</param>
public sealed record BanditResults(
    IReadOnlyList<BanditPeriodResult> Periods,
    IReadOnlyList<BanditArmEstimate> Estimates,
    string? Winner,
    int SkippedPeriods = 0,
    long SkippedUsers = 0);

/// <param name="InEstimates">Whether the period enters the period-weighted estimates (every arm has at least
/// <see cref="Bandits.BanditEstimates.MinimumUsersPerArm"/> users in it).</param>
public sealed record BanditPeriodResult(int Period, DateTimeOffset StartedAt, IReadOnlyList<double> Weights, IReadOnlyList<long> Users, double? SrmPValue, bool SrmMismatch,
    bool InEstimates = false);

/// <param name="Mean">The arm's period-weighted mean of the primary metric: each period's mean weighted by the period's share of the users (see BanditEstimates).</param>
/// <param name="ChanceToBeBest">The posterior probability that this arm is best (what Thompson sampling would allocate).</param>
/// <param name="Lift">The period-weighted absolute lift over the control (each period's difference of means, weighted the same way); null for the control.</param>
/// <param name="LiftStandardError">The standard error of <paramref name="Lift"/>.</param>
public sealed record BanditArmEstimate(string Variant, double? Mean, double? StandardError, double? ChanceToBeBest, double? Lift = null, double? LiftStandardError = null);

/// <param name="GuardrailAlpha">α of the guardrails' always-valid interval (see <see cref="GuardrailResult.SequentialHarm"/>).</param>
/// <param name="Estimates">How the per-metric estimates combine the phase's data: pooled (a fixed split) or period-weighted
/// (a bandit), and which sections stay pooled.</param>
public sealed record AnalysisSettings(
    double Alpha,
    double SequentialTuningSampleSize,
    double AttributionWindowDays,
    string Covariate,
    string MultipleTesting,
    double GuardrailAlpha = ExperimentAnalyzer.GuardrailAlpha,
    string Estimates = ExperimentAnalyzer.PooledEstimates);

/// <summary>Per-variant totals and the metric values (per exposed user; guardrails per exposure).</summary>
public sealed record VariantSummary(
    string Key,
    double Weight,
    long Users,
    long Exposures,
    long Clickers,
    long Purchasers,
    long Clicks,
    long Purchases,
    double Revenue,
    double? Ctr,
    double? ConversionRate,
    double? RevenuePerUser,
    double? ClicksPerUser,
    double? FallbackRate,
    double? MeanLatencyMs);

/// <summary>Sample-ratio mismatch over users who entered after the last weight change.</summary>
public sealed record SrmCheck(
    IReadOnlyList<long> Users,
    IReadOnlyList<double> ExpectedShares,
    double? ChiSquare,
    double? PValue,
    bool Mismatch,
    DateOnly? CountedFrom,
    string? Note);

/// <summary>A two-sided (1 − α) interval around an effect, with its p-value.</summary>
public sealed record Effect(double Estimate, double StandardError, double CiLow, double CiHigh, double PValue);

public sealed record CupedEffect(double Theta, double VarianceReduction, Effect Relative);

/// <summary>One treatment against the control on one metric.</summary>
public sealed record Comparison(
    string Variant,
    double? ControlValue,
    double? TreatmentValue,
    Effect? Absolute,
    Effect? Relative,
    Effect? SequentialRelative,
    double? ChanceToWin,
    CupedEffect? Cuped,
    double? HolmPValue,
    double? BenjaminiHochbergPValue);

/// <param name="UsersNeededPerVariant">Users per variant to detect the experiment's MDE (relative) on this
/// metric with 80% power at α, from the control's observed mean and variance.</param>
/// <param name="PowerNow">The power the current sample sizes have for that MDE.</param>
public sealed record MetricResult(
    string Metric,
    bool Primary,
    long? UsersNeededPerVariant,
    double? PowerNow,
    IReadOnlyList<Comparison> Comparisons);

/// <param name="Absolute">Treatment − control with its fixed-horizon (Welch) interval at α.</param>
/// <param name="Harm">The increase is significant at one look: <paramref name="Absolute"/>'s interval lies above 0. Checked
/// again at every look, its false-alarm rate grows with the number of looks (peeking); decisions taken at every poll read
/// <paramref name="SequentialHarm"/>.</param>
/// <param name="Sequential">Treatment − control with its always-valid (sequential) interval at
/// <see cref="ExperimentAnalyzer.GuardrailAlpha"/>; null while it cannot be computed.</param>
/// <param name="SequentialHarm">The increase is significant at any number of looks: <paramref name="Sequential"/>'s interval
/// lies above 0. Without real harm this happens, over the whole experiment, with probability at most GuardrailAlpha.</param>
/// <param name="ThresholdMs">For <see cref="GuardrailMetrics.LatencyP99"/> only (null otherwise): the values are each arm's p99,
/// and <paramref name="Absolute"/> and <paramref name="Sequential"/> are the difference of the shares of lists slower than
/// this many ms, the lower bound of the bucket holding the two arms' pooled p99 (see <see cref="LatencyTail"/>).</param>
public sealed record GuardrailResult(string Metric, string Variant, double? ControlValue, double? TreatmentValue, Effect? Absolute, bool Harm,
    Effect? Sequential = null, bool SequentialHarm = false, double? ThresholdMs = null);

/// <summary>The experiment as it stood at the end of one day (cumulative).</summary>
public sealed record TimelinePoint(DateOnly Day, IReadOnlyList<long> Users, IReadOnlyList<TimelineLift> Lifts);

/// <summary>Cumulative relative lift with its fixed-horizon (Welch) and sequential intervals.</summary>
public sealed record TimelineLift(string Metric, string Variant, double? Lift, double? CiLow, double? CiHigh, double? SequentialLow, double? SequentialHigh);
