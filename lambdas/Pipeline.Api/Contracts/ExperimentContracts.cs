namespace Pipeline.Api.Contracts;

/// <summary>
/// The body of <c>POST /experiments</c> and <c>PUT /experiments/{key}</c>. Nullable so a missing field is
/// reported (create) or kept as it is (update), never defaulted silently.
/// </summary>
public sealed record ExperimentRequestBody(
    string? Key,
    IReadOnlyList<VariantBody>? Variants,
    double? Coverage,
    string? HashAttribute,
    string? Seed,
    NamespaceBody? Namespace,
    int? HashVersion,
    double? Holdout,
    string? PrimaryMetric,
    IReadOnlyList<string>? GuardrailMetrics,
    double? MinimumDetectableEffect,
    string? Allocation = null,
    BanditBody? Bandit = null);

/// <summary>A bandit's schedule: <c>period_seconds</c> between weight updates, <c>minimum_share</c> every arm keeps,
/// <c>burn_in_seconds</c> before the first update (weights as configured until then).</summary>
public sealed record BanditBody(double? PeriodSeconds, double? MinimumShare, double? BurnInSeconds);

/// <summary>One period of a bandit: from when, and the weights new users were bucketed with.</summary>
public sealed record BanditPeriodBody(int Period, DateTimeOffset StartedAt, IReadOnlyList<double> Weights);

/// <summary>An arm: <c>recipe</c> (served locally) or <c>campaign</c> (a Personalize campaign ARN), or both.</summary>
public sealed record VariantBody(string? Key, double? Weight, string? Recipe, string? Campaign, IReadOnlyDictionary<string, string>? Config);

public sealed record NamespaceBody(string? Id, double? Start, double? End);

/// <summary>The body of <c>PUT /experiments/{key}/weights</c>: a weight for every variant key.</summary>
/// <param name="Reassign">true: start a new phase, re-bucket every user and restart the analysis;
/// false (default): users keep their variants, only new users are bucketed with the new weights.</param>
public sealed record WeightsRequestBody(IReadOnlyDictionary<string, double>? Weights, bool? Reassign);

public sealed record ExperimentBody(
    string Key,
    string Status,
    int Phase,
    IReadOnlyList<VariantBody> Variants,
    double Coverage,
    string HashAttribute,
    string Seed,
    NamespaceBody? Namespace,
    int HashVersion,
    double Holdout,
    string PrimaryMetric,
    IReadOnlyList<string> GuardrailMetrics,
    double MinimumDetectableEffect,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    DateTimeOffset? WeightsChangedAt,
    string Allocation,
    BanditBody? Bandit,
    IReadOnlyList<BanditPeriodBody> WeightHistory);

public sealed record ExperimentListBody(IReadOnlyList<ExperimentBody> Experiments);
