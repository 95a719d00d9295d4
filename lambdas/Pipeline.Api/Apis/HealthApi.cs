using Pipeline.Api.Contracts;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (IModelRegistry models) =>
            TypedResults.Ok(new HealthBody("ok", models.Recipes)));
        return app;
    }
}
