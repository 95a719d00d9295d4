namespace Pipeline.Domain.Experiments;

public enum ExperimentStatus { Draft, Running, Stopped }

/// <summary>One arm of an experiment: the share of traffic it gets and the model that serves it.</summary>
public sealed record Variant(string Key, double Weight, string Recipe);

/// <param name="Key">Unique experiment key.</param>
/// <param name="Status">Only <see cref="ExperimentStatus.Running"/> experiments assign users.</param>
/// <param name="Variants">Arms in order; weights should sum to 1 (GrowthBook falls back to equal weights otherwise).</param>
/// <param name="Coverage">Share of eligible users that enter the experiment, clamped to [0, 1].</param>
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
    int HashVersion = 2);
