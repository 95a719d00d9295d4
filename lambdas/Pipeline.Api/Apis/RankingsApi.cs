using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;

namespace Pipeline.Api.Apis;

public static class RankingsApi
{
    public static IEndpointRouteBuilder MapRankingsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/rankings", RankAsync)
            .WithName("GetPersonalizedRanking")
            .Accepts<RankingRequestBody>("application/json");
        return app;
    }

    private static async Task<Results<Ok<RankingResponseBody>, ProblemHttpResult>> RankAsync(
        HttpRequest request, RankingsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.RankingRequestBody, cancellationToken);
        return problem is null ? await handler.RankAsync(body!, cancellationToken, ExperimentsForcedVariant.From(request)) : problem;
    }
}
