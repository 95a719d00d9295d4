using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// Personalize runtime over its REST-JSON protocol (AWSSDK.PersonalizeRuntime is not available here):
/// <c>POST /recommendations</c> and <c>POST /personalize-ranking</c>, signed for the "personalize" service.
/// </summary>
public sealed class PersonalizeRuntimeClient(HttpClient http)
{
    public const string EndpointPrefix = "personalize-runtime";
    public const string SigningName = "personalize";

    /// <summary>A client for the regional endpoint, or <paramref name="endpointUrl"/> (the local Personalize service).</summary>
    public static PersonalizeRuntimeClient Create(string? endpointUrl = null, string? region = null) =>
        new(AwsServiceEndpoint.Resolve(EndpointPrefix, SigningName, endpointUrl, region).CreateHttpClient());

    public async Task<GetRecommendationsResponse> GetRecommendationsAsync(GetRecommendationsRequest request, CancellationToken cancellationToken = default) =>
        await AwsJsonCalls.PostAsync(http, "recommendations", request, PersonalizeJsonContext.Default.GetRecommendationsRequest,
            PersonalizeJsonContext.Default.GetRecommendationsResponse, cancellationToken: cancellationToken)
        ?? new GetRecommendationsResponse([], null);

    public async Task<GetPersonalizedRankingResponse> GetPersonalizedRankingAsync(GetPersonalizedRankingRequest request, CancellationToken cancellationToken = default) =>
        await AwsJsonCalls.PostAsync(http, "personalize-ranking", request, PersonalizeJsonContext.Default.GetPersonalizedRankingRequest,
            PersonalizeJsonContext.Default.GetPersonalizedRankingResponse, cancellationToken: cancellationToken)
        ?? new GetPersonalizedRankingResponse([], null);
}
