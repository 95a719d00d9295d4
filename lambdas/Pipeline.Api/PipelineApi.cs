using System.Text.Json;
using Pipeline.Api.Apis;
using Pipeline.Api.Filters;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;
using Pipeline.Api.Observability;
using Pipeline.Api.Security;
using Pipeline.Api.Serving;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Recommendations.Ranking;
using Pipeline.Kestrel;

namespace Pipeline.Api;

/// <summary>
/// The API's services and routes. Hosts (the CLI's local stack, the Lambda entry point) add the stores and
/// the model registry of their environment, then call these two methods.
/// </summary>
public static class PipelineApi
{
    /// <summary>Request bodies larger than this are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplicationBuilder AddPipelineApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        // What Kestrel refuses before any middleware (a NUL in the path, 414, 431, broken request lines) is a problem too.
        builder.WebHost.UseRefusalBodies(KestrelRefusalProblems.Render);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // Responses go through the host's options, so they need the contract's naming policy too.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions[RequestIds.ScopeKey] = context.HttpContext.TraceIdentifier);
        builder.Services.AddPipelineMetricsExport(builder.Configuration);
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);

        var keyOptions = ApiKeyOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(keyOptions);
        builder.Services.AddSingleton(new ApiKeys(keyOptions));
        // Which protection is active is always logged, whatever level the host logs at otherwise.
        builder.Logging.AddFilter(typeof(ApiKeys).FullName, LogLevel.Information);
        builder.Services.AddPerKeyRateLimits(keyOptions);

        builder.Services.AddSingleton(ServingConfiguration.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<FallbackChain>();
        builder.Services.AddSingleton<RecommendationService>();
        builder.Services.AddSingleton<RecommendationsHandler>();
        builder.Services.AddSingleton(EventOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<EventsHandler>();
        builder.Services.AddSingleton<ItemsHandler>();
        builder.Services.AddSingleton<CatalogHandler>();
        builder.Services.AddSingleton<StickyAssignment>();
        builder.Services.AddSingleton<RankingChain>();
        builder.Services.AddSingleton<RankingService>();
        builder.Services.AddSingleton<RankingFilters>();
        builder.Services.AddSingleton(new FilterEscalationSlots(FilterEscalationSlots.DefaultCapacity));
        builder.Services.AddSingleton<RecommendationFilters>();
        builder.Services.AddSingleton<RankingsHandler>();
        builder.Services.AddSingleton<RealtimeEventForwarder>();
        builder.Services.AddSingleton<LiveMetrics>();
        builder.Services.AddSingleton<ApiMetrics>();
        builder.Services.AddConsole();
        builder.Services.AddExperiments();
        return builder;
    }

    public static WebApplication MapPipelineApi(this WebApplication app)
    {
        ApiKeys.LogProtection(app.Services.GetRequiredService<ILogger<ApiKeys>>(), app.Services.GetRequiredService<ApiKeyOptions>());
        app.UseMiddleware<RequestIds>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHealthApi();

        var client = app.MapGroup("").RequireApiKey(ApiKeyScope.Client);
        client.MapRecommendationsApi();
        client.MapEventsApi();
        client.MapItemsApi();
        client.MapRankingsApi();
        app.MapCatalogApi().RequireApiKey(ApiKeyScope.Admin);
        app.MapExperimentsApi().RequireApiKey(ApiKeyScope.Admin);
        app.MapWorkflowsApi().RequireApiKey(ApiKeyScope.Admin);
        app.MapLiveMetricsApi().RequireApiKey(ApiKeyScope.Admin);
        app.MapConsoleApi().RequireApiKey(ApiKeyScope.Admin);
        return app;
    }
}
