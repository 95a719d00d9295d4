using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Http;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // Liveness: the process answers (also the Web Adapter's readiness probe on AWS).
        app.MapGet(WebAdapter.ReadinessCheckPath, (IModelRegistry models) =>
            TypedResults.Ok(new HealthBody("ok", models.Recipes)));
        // Readiness: the first fallback recipe can serve and the stores answer, so traffic may be sent here.
        app.MapGet("/ready", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<HealthBody>, ProblemHttpResult>> ReadyAsync(
        IModelRegistry models, ServingOptions serving, IExperimentStore experiments, CancellationToken cancellationToken)
    {
        var fallback = serving.FallbackRecipes.FirstOrDefault() ?? Recipes.PopularityCount;
        if (models.Find(fallback) is null)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Not ready", $"No model serves the fallback recipe '{fallback}' yet.");
        }
        try
        {
            await experiments.GetAsync(serving.DefaultExperiment, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Not ready", $"The experiment store does not answer: {e.Message}");
        }
        return TypedResults.Ok(new HealthBody("ready", models.Recipes));
    }
}
