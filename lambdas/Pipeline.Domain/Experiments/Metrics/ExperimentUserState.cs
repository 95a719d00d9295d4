namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// What the aggregates need to know about one user in one experiment, so that each exposure or event
/// updates them in O(1): the user's phase and variant, when they entered, their pre-exposure activity
/// (the CUPED covariate), and their attributed totals so far (for the user-level sums of squares).
/// </summary>
public sealed record ExperimentUserState(
    int Phase,
    string VariantKey,
    DateTimeOffset FirstExposedAt,
    double Covariate,
    long Clicks,
    long Purchases,
    double Revenue);
