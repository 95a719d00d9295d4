using System.Text.Json.Serialization;

namespace Pipeline.Api.Contracts;

/// <summary>
/// The body of <c>POST /rankings</c> (GetPersonalizedRanking): the candidates to order for the user.
/// <c>filter</c> is a Personalize filter expression, <c>filter_values</c> its placeholders' values in
/// Personalize's format (<c>"\"a\",\"b\""</c>). <c>context</c> is Personalize's contextual metadata.
/// </summary>
public sealed record RankingRequestBody(
    string? UserId,
    IReadOnlyList<string?>? ItemIds,
    IReadOnlyDictionary<string, string>? Context,
    string? Filter,
    IReadOnlyDictionary<string, string>? FilterValues);

/// <summary>A ranked candidate; <c>score</c> is null for an item the model does not know (those come last).</summary>
public sealed record RankedItemBody(string ItemId, double? Score);

/// <param name="CampaignArn">The campaign that ranked (only when it did), as on POST /recommendations.</param>
/// <param name="SolutionVersionArn">The solution version it serves, where known.</param>
public sealed record RankingResponseBody(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<RankedItemBody> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CampaignArn = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SolutionVersionArn = null);
