namespace Pipeline.Api.Contracts;

/// <summary>
/// The body of <c>POST /recommendations</c>; nullable so that a missing field is reported, not defaulted silently.
/// <c>filter</c> is a Personalize filter expression, <c>filter_values</c> its placeholders' values in Personalize's
/// format (<c>"\"a\",\"b\""</c>), <c>context</c> Personalize's contextual metadata.
/// </summary>
public sealed record RecommendationRequestBody(
    string? UserId,
    int? NumResults,
    string? ItemId,
    IReadOnlyDictionary<string, string>? Context = null,
    string? Filter = null,
    IReadOnlyDictionary<string, string>? FilterValues = null);

public sealed record RecommendedItemBody(string ItemId, double Score);

public sealed record RecommendationResponseBody(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<RecommendedItemBody> Items);
