namespace Pipeline.Domain.Recommendations;

/// <param name="ForcedVariant">QA override: serve this variant of the experiment whatever the user's bucket
/// (also for draft and stopped experiments). A forced request is neither assigned nor logged as an exposure,
/// so it never reaches the analysis. An unknown variant key is ignored.</param>
/// <param name="Filter">Applied through every link of the fallback chain (see <see cref="IRecommendationFilter"/>).</param>
public sealed record RecommendationRequest(string UserId, int NumResults, string? ItemId = null, string? ForcedVariant = null,
    IRecommendationFilter? Filter = null);

/// <param name="Forced">Whether the variant was forced for QA (not assigned, not exposed).</param>
public sealed record RecommendationResult(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<ScoredItem> Items,
    bool Forced = false);
