using System.Text.Json.Serialization;
using Pipeline.Api.Contracts;

namespace Pipeline.Api.Http;

/// <summary>Source-generated JSON for every body the API reads or writes (no reflection; Native AOT ready).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false)]
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
