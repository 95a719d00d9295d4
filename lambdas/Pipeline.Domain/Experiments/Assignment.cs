namespace Pipeline.Domain.Experiments;

/// <summary>The variant a user was put in, kept so the user stays there (sticky bucketing).</summary>
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
