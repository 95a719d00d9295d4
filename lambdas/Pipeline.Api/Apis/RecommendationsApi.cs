using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;

namespace Pipeline.Api.Apis;

public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/recommendations", RecommendAsync)
            .WithName("GetRecommendations")
            .Accepts<RecommendationRequestBody>("application/json");
        return app;
    }

    private static async Task<Results<Ok<RecommendationResponseBody>, ProblemHttpResult>> RecommendAsync(
        HttpRequest request, RecommendationsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.RecommendationRequestBody, cancellationToken);
        return problem is null ? await handler.RecommendAsync(body!, cancellationToken, ExperimentsForcedVariant.From(request)) : problem;
    }
}
