namespace Pipeline.Domain.Experiments;

/// <summary>
/// The variant a user was put in, kept so the user stays there (sticky bucketing).
/// <paramref name="ExperimentKey"/> is the experiment's sticky key (<see cref="Experiment.StickyKey"/>,
/// <c>{key}__{phase}</c>), so assignments of an earlier phase no longer apply after re-versioning.
/// </summary>
public sealed record Assignment(string ExperimentKey, string UserId, string VariantKey, DateTimeOffset AssignedAt);

/// <summary>A served recommendation list: the exposure that conversions are attributed to.</summary>
public sealed record Exposure(
    string RecommendationId,
    string ExperimentKey,
    string VariantKey,
    string UserId,
    string Recipe,
    string ServedBy,
    IReadOnlyList<string> ItemIds,
    DateTimeOffset Timestamp);
