namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// What the aggregates need to know about one user in one experiment, so that each exposure or event
/// updates them in O(1): the user's phase and variant, when they entered, their pre-exposure activity
/// (the CUPED covariate), their attributed totals so far (for the user-level sums of squares), and the bandit period
/// they entered in (stamped at their first exposure in the phase; 0 for a fixed split), under which all their later
/// activity is counted so a bandit's analysis can weigh each period's cohort.
/// </summary>
public sealed record ExperimentUserState(
    int Phase,
    string VariantKey,
    DateTimeOffset FirstExposedAt,
    double Covariate,
    long Clicks,
    long Purchases,
    double Revenue,
    int Period = 0);
