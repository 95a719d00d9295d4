using System.Text.Json.Serialization;
using Pipeline.Api.Contracts;

namespace Pipeline.Api.Http;

/// <summary>
/// Source-generated JSON for every body the API reads or writes (no reflection; Native AOT ready). A request body is
/// read strictly: a member given twice (which one would win is not the client's to guess) or a member the body does not
/// have (a misspelt field would otherwise be silently ignored) is a 400 naming it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(RecommendationRequestBody))]
[JsonSerializable(typeof(RecommendationResponseBody))]
[JsonSerializable(typeof(EventRequestBody))]
[JsonSerializable(typeof(EventsRequestBody))]
[JsonSerializable(typeof(EventAcceptedBody))]
[JsonSerializable(typeof(EventsAcceptedBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(ItemBody))]
[JsonSerializable(typeof(SimilarItemsBody))]
[JsonSerializable(typeof(RankingRequestBody))]
[JsonSerializable(typeof(RankingResponseBody))]
[JsonSerializable(typeof(ItemsUpsertRequestBody))]
[JsonSerializable(typeof(UsersUpsertRequestBody))]
[JsonSerializable(typeof(UpsertedBody))]
[JsonSerializable(typeof(UserBody))]
[JsonSerializable(typeof(ExperimentRequestBody))]
[JsonSerializable(typeof(ExperimentBody))]
[JsonSerializable(typeof(ExperimentListBody))]
[JsonSerializable(typeof(WeightsRequestBody))]
[JsonSerializable(typeof(Pipeline.Domain.Experiments.Results.ExperimentResults))]
[JsonSerializable(typeof(Pipeline.Api.Observability.LiveMetricsBody))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
