using System.Text.Json.Serialization;

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
    IReadOnlyDictionary<string, string>? FilterValues = null,
    bool? Enrich = null);

/// <summary>A recommended item; <c>category</c> and <c>price</c> (the catalog entry's) only with <c>enrich: true</c>.</summary>
public sealed record RecommendedItemBody(
    string ItemId,
    double Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Category = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Price = null);

/// <param name="CampaignArn">The Personalize campaign that answered (only when it did: <c>served_by: primary</c> on a campaign-backed variant).</param>
/// <param name="SolutionVersionArn">The solution version that campaign serves, as DescribeCampaign last said (refreshed every <c>Serving:RefreshSeconds</c>).</param>
public sealed record RecommendationResponseBody(
    string UserId,
    string? Experiment,
    string? Variant,
    string Recipe,
    string RecommendationId,
    string ServedBy,
    IReadOnlyList<RecommendedItemBody> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CampaignArn = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SolutionVersionArn = null);
