namespace Pipeline.Domain.Recommendations.Ranking;

/// <summary>
/// A personalized ranking request (Personalize's GetPersonalizedRanking).
/// </summary>
/// <param name="Filter">Applied to the ranked list, whichever link of the chain ranked it, before it is logged
/// as an exposure and returned (the filter engine lives outside the domain).</param>
public sealed record RankingRequest(
    string UserId,
    IReadOnlyList<string> ItemIds,
    Func<IReadOnlyList<RankedItem>, CancellationToken, ValueTask<IReadOnlyList<RankedItem>>>? Filter = null,
    string? ForcedVariant = null,
    IReadOnlyDictionary<string, string>? Context = null);

public sealed record RankingResult(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<RankedItem> Items,
    ServedModel? Model = null);
