using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.DeploymentContract;

namespace Pipeline.Api.Hosting;

/// <summary>
/// What the Lambda Web Adapter calls on the functions that are not the API: the readiness check, and the path it POSTs
/// a Step Functions invoke's JSON payload to (AWS_LWA_PASS_THROUGH_PATH).
/// </summary>
internal static class FunctionRoutes
{
    /// <summary>The Web Adapter waits for <c>GET /health</c> to answer before it hands the function any invoke.</summary>
    public static IEndpointRouteBuilder MapReadinessCheck(this IEndpointRouteBuilder app)
    {
        app.MapGet(WebAdapter.ReadinessCheckPath, () => TypedResults.Text("""{"status":"ok"}""", "application/json"));
        return app;
    }

    /// <summary>
    /// The invoke's payload, handed to <typeparamref name="THandler"/> (from the services); the JSON it answers is the
    /// invoke's result. A body that is not JSON reaches the handler as null, so that the handler's own answer says the
    /// payload must be a JSON object.
    /// </summary>
    public static IEndpointRouteBuilder MapJsonInvoke<THandler>(this IEndpointRouteBuilder app, string path,
        Func<THandler, JsonNode?, CancellationToken, Task<JsonObject>> handle)
        where THandler : notnull
    {
        app.MapPost(path, async (HttpRequest request, THandler handler, CancellationToken cancellationToken) =>
        {
            JsonNode? payload;
            try
            {
                payload = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            }
            catch (JsonException)
            {
                payload = null;
            }
            return TypedResults.Text((await handle(handler, payload, cancellationToken)).ToJsonString(), "application/json");
        });
        return app;
    }
}
