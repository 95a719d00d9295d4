using System.Text.Json.Serialization;

namespace Pipeline.Adapters.Aws.Personalize;

// The request and response bodies of Personalize runtime and events, with the service's member names.

/// <summary>GetRecommendations: a campaign or recommender ARN, and a user (USER_PERSONALIZATION) or item (RELATED_ITEMS).</summary>
public sealed record GetRecommendationsRequest
{
    public string? CampaignArn { get; init; }
    public string? RecommenderArn { get; init; }
    public string? UserId { get; init; }
    public string? ItemId { get; init; }
    public int? NumResults { get; init; }
    public IReadOnlyDictionary<string, string>? Context { get; init; }
    public string? FilterArn { get; init; }
    public IReadOnlyDictionary<string, string>? FilterValues { get; init; }
}

public sealed record GetPersonalizedRankingRequest
{
    public required string CampaignArn { get; init; }
    public required IReadOnlyList<string> InputList { get; init; }
    public required string UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Context { get; init; }
    public string? FilterArn { get; init; }
    public IReadOnlyDictionary<string, string>? FilterValues { get; init; }
}

public sealed record PredictedItem(string ItemId, double? Score = null, string? PromotionName = null);

public sealed record GetRecommendationsResponse(IReadOnlyList<PredictedItem>? ItemList, string? RecommendationId);

public sealed record GetPersonalizedRankingResponse(IReadOnlyList<PredictedItem>? PersonalizedRanking, string? RecommendationId);

/// <summary>PutEvents of an event tracker; <see cref="PersonalizeEvent.SentAt"/> is epoch seconds on the wire.</summary>
public sealed record PutEventsRequest
{
    public required string TrackingId { get; init; }
    public string? UserId { get; init; }
    public required string SessionId { get; init; }
    public required IReadOnlyList<PersonalizeEvent> EventList { get; init; }
}

public sealed record PersonalizeEvent
{
    public string? EventId { get; init; }
    public required string EventType { get; init; }
    public double? EventValue { get; init; }
    public string? ItemId { get; init; }
    public required double SentAt { get; init; }
    public string? RecommendationId { get; init; }
    public IReadOnlyList<string>? Impression { get; init; }
    /// <summary>A JSON object as a string, as the API takes it.</summary>
    public string? Properties { get; init; }
}

/// <summary>DescribeCampaign (control plane, JSON 1.1): serving asks it which solution version a campaign serves.</summary>
public sealed record DescribeCampaignRequest(string CampaignArn);

public sealed record DescribeCampaignResponse(CampaignDescription? Campaign);

/// <param name="SolutionVersionArn">The version the campaign serves; an update in progress is in LatestCampaignUpdate, not here.</param>
public sealed record CampaignDescription(string? CampaignArn, string? SolutionVersionArn, string? Status);

internal sealed record Empty;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetRecommendationsRequest))]
[JsonSerializable(typeof(GetRecommendationsResponse))]
[JsonSerializable(typeof(GetPersonalizedRankingRequest))]
[JsonSerializable(typeof(GetPersonalizedRankingResponse))]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(DescribeCampaignRequest))]
[JsonSerializable(typeof(DescribeCampaignResponse))]
[JsonSerializable(typeof(Empty))]
internal sealed partial class PersonalizeJsonContext : JsonSerializerContext;
