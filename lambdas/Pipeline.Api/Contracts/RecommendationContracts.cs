namespace Pipeline.Api.Contracts;

/// <summary>The body of <c>POST /recommendations</c>; nullable so that a missing field is reported, not defaulted silently.</summary>
public sealed record RecommendationRequestBody(string? UserId, int? NumResults, string? ItemId);

public sealed record RecommendedItemBody(string ItemId, double Score);

public sealed record RecommendationResponseBody(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<RecommendedItemBody> Items);
