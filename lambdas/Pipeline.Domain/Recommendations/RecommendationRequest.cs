namespace Pipeline.Domain.Recommendations;

public sealed record RecommendationRequest(string UserId, int NumResults, string? ItemId = null);

public sealed record RecommendationResult(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<ScoredItem> Items);
