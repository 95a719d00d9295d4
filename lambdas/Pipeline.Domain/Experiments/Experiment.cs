using Pipeline.Domain.Experiments.Bandits;

namespace Pipeline.Domain.Experiments;

public enum ExperimentStatus { Draft, Running, Stopped }

/// <summary>One arm of an experiment: the share of traffic it gets and the model that serves it.</summary>
/// <param name="Key">Unique within the experiment; the first variant is the control.</param>
/// <param name="Weight">Share of the experiment's traffic; the weights of an experiment sum to 1.</param>
/// <param name="Recipe">The recipe whose model serves this arm locally (empty when only a campaign is given).</param>
/// <param name="Campaign">The Personalize campaign ARN that serves this arm on AWS, if any.</param>
/// <param name="Config">Free-form settings of the arm (e.g. a filter or an exploration weight), passed through.</param>
public sealed record Variant(
    string Key,
    double Weight,
    string Recipe,
    string? Campaign = null,
    IReadOnlyDictionary<string, string>? Config = null);

/// <param name="Key">Unique experiment key.</param>
/// <param name="Status">Only <see cref="ExperimentStatus.Running"/> experiments assign users.</param>
/// <param name="Variants">Arms in order, the first is the control; weights sum to 1 ± 0.001 (validated, because
/// GrowthBook would silently fall back to equal weights otherwise).</param>
/// <param name="Coverage">Share of eligible users that enter the experiment, in [0, 1].</param>
/// <param name="Seed">Hash seed; empty means the experiment key (as in GrowthBook).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Namespace">Optional namespace slice for mutually exclusive experiments.</param>
/// <param name="HashVersion">GrowthBook hash version: 2 (unbiased, the default for new experiments) or 1 (legacy).</param>
public sealed record Experiment(
    string Key,
    ExperimentStatus Status,
    IReadOnlyList<Variant> Variants,
    double Coverage,
    string Seed,
    DateTimeOffset CreatedAt,
    ExperimentNamespace? Namespace = null,
    int HashVersion = 2)
{
    /// <summary>The attribute that is hashed; users are the unit of randomization and analysis.</summary>
    public string HashAttribute { get; init; } = ExperimentDefaults.HashAttribute;

    /// <summary>
    /// The version of the experiment's bucketing (GrowthBook's bucket version). It is part of the sticky
    /// key, so re-versioning re-buckets every user and starts a fresh analysis; results cover one phase.
    /// </summary>
    public int Phase { get; init; }

    /// <summary>When the experiment last started running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the experiment was stopped.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>When the weights last changed without re-versioning: the SRM check only counts users who entered after that day.</summary>
    public DateTimeOffset? WeightsChangedAt { get; init; }

    /// <summary>The metric the decision is made on (one of <see cref="ExperimentMetrics.All"/>).</summary>
    public string PrimaryMetric { get; init; } = ExperimentMetrics.ConversionRate;

    /// <summary>Metrics that must not get worse (a subset of <see cref="GuardrailMetrics.All"/>).</summary>
    public IReadOnlyList<string> Guardrails { get; init; } = GuardrailMetrics.All;

    /// <summary>The smallest relative lift of the primary metric worth detecting (0.05 = 5%); sizes the experiment.</summary>
    public double MinimumDetectableEffect { get; init; } = ExperimentDefaults.MinimumDetectableEffect;

    /// <summary>
    /// Share of all users, in [0, 1), kept out of the experiment for good: they are served the fallback
    /// recipe, never assigned, never exposed. Hashed with its own seed so it is independent of the buckets.
    /// </summary>
    public double Holdout { get; init; }

    /// <summary><see cref="ExperimentAllocation.Fixed"/> (weights change only by hand) or <see cref="ExperimentAllocation.Bandit"/>.</summary>
    public string Allocation { get; init; } = ExperimentAllocation.Fixed;

    /// <summary>The bandit's period, minimum share and burn-in; set when <see cref="Allocation"/> is bandit.</summary>
    public BanditSettings? Bandit { get; init; }

    /// <summary>A bandit's periods in order (empty until its first update): the weights of each and the totals it started from.</summary>
    public IReadOnlyList<BanditPeriod> WeightHistory { get; init; } = [];

    /// <summary>
    /// The key under which a user's variant is kept: GrowthBook's sticky-bucket key <c>{key}__{version}</c>,
    /// so a new phase (re-versioning) starts with no sticky assignments.
    /// </summary>
    public string StickyKey() => $"{Key}__{Phase}";

    /// <summary>The seed that is hashed: the experiment's seed, or its key when the seed is empty.</summary>
    public string HashSeed() => string.IsNullOrEmpty(Seed) ? Key : Seed;
}

public static class ExperimentDefaults
{
    public const string HashAttribute = "user_id";
    public const double MinimumDetectableEffect = 0.05;
}
