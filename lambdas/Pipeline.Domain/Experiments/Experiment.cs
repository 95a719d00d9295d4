namespace Pipeline.Domain.Experiments;

public enum ExperimentStatus { Draft, Running, Stopped }

/// <summary>One arm of an experiment: the share of traffic it gets and the model that serves it.</summary>
public sealed record Variant(string Key, double Weight, string Recipe);

public sealed record Experiment(
    string Key,
    ExperimentStatus Status,
    IReadOnlyList<Variant> Variants,
    double Coverage,
    string Seed,
    DateTimeOffset CreatedAt);
