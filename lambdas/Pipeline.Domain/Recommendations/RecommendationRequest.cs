namespace Pipeline.Domain.Recommendations;

/// <param name="ForcedVariant">QA override: serve this variant of the experiment whatever the user's bucket
/// (also for draft and stopped experiments). A forced request is neither assigned nor logged as an exposure,
/// so it never reaches the analysis. An unknown variant key is ignored.</param>
/// <param name="Filter">Applied through every link of the fallback chain (see <see cref="IRecommendationFilter"/>).</param>
/// <param name="Context">Personalize's contextual metadata, passed to a campaign that serves the variant.</param>
public sealed record RecommendationRequest(string UserId, int NumResults, string? ItemId = null, string? ForcedVariant = null,
    IRecommendationFilter? Filter = null, IReadOnlyDictionary<string, string>? Context = null);

/// <param name="Forced">Whether the variant was forced for QA (not assigned, not exposed).</param>
/// <param name="Model">The campaign that answered, when the variant's campaign served the list (null for the engine and fallbacks).</param>
public sealed record RecommendationResult(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<ScoredItem> Items,
    bool Forced = false,
    ServedModel? Model = null);

/// <summary>Which campaign answered and the solution version it serves (where known).</summary>
public sealed record ServedModel(string CampaignArn, string? SolutionVersionArn);
