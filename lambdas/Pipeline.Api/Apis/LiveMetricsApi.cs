using Pipeline.Api.Observability;

namespace Pipeline.Api.Apis;

/// <summary><c>GET /metrics/live</c>: this process's last minutes of serving, per second (the console's Live and Models pages).</summary>
public static class LiveMetricsApi
{
    public static RouteHandlerBuilder MapLiveMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics/live", (LiveMetrics live) => TypedResults.Ok(live.Snapshot())).WithTags("admin").WithName("GetLiveMetrics");
}
