using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Contracts;
using Pipeline.Api.Handlers;
using Pipeline.Api.Http;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Api.Apis;

/// <summary>
/// The experiments admin API. The routes share one group tagged "admin", so the admin API-key check can be
/// attached to the group in one place.
/// </summary>
public static class ExperimentsApi
{
    public static IServiceCollection AddExperiments(this IServiceCollection services) => services
        .AddSingleton<ExperimentResultsService>()
        .AddSingleton(provider => new Pipeline.Domain.Experiments.Bandits.BanditUpdater(
            provider.GetRequiredService<Pipeline.Domain.Experiments.IExperimentStore>(), provider.GetRequiredService<IExperimentMetricsStore>(),
            provider.GetRequiredService<TimeProvider>()))
        .AddSingleton<ExperimentsHandler>();

    public static RouteGroupBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/experiments").WithTags("admin");
        group.MapPost("/", CreateAsync).WithName("CreateExperiment").Accepts<ExperimentRequestBody>("application/json");
        group.MapGet("/", (ExperimentsHandler h, CancellationToken ct) => h.ListAsync(ct)).WithName("ListExperiments");
        group.MapGet("/{key}", (string key, ExperimentsHandler h, CancellationToken ct) => h.GetAsync(key, ct)).WithName("GetExperiment");
        group.MapPut("/{key}", UpdateAsync).WithName("UpdateExperiment").Accepts<ExperimentRequestBody>("application/json");
        group.MapPost("/{key}/start", (string key, ExperimentsHandler h, CancellationToken ct) => h.StartAsync(key, ct)).WithName("StartExperiment");
        group.MapPost("/{key}/stop", (string key, ExperimentsHandler h, CancellationToken ct) => h.StopAsync(key, ct)).WithName("StopExperiment");
        group.MapPut("/{key}/weights", ChangeWeightsAsync).WithName("ChangeExperimentWeights").Accepts<WeightsRequestBody>("application/json");
        // Runs the due bandit updates: what `pipeline up` does every second, and what a schedule calls on AWS.
        group.MapPost("/bandits/update", (ExperimentsHandler h, CancellationToken ct) => h.UpdateBanditsAsync(ct)).WithName("UpdateBandits");
        group.MapGet("/{key}/results", (string key, ExperimentsHandler h, CancellationToken ct) => h.ResultsAsync(key, ct)).WithName("GetExperimentResults");
        return group;
    }

    private static async Task<Results<Created<ExperimentBody>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ExperimentsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.ExperimentRequestBody, cancellationToken);
        return problem ?? (Results<Created<ExperimentBody>, ProblemHttpResult>)await handler.CreateAsync(body!, cancellationToken);
    }

    private static async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> UpdateAsync(
        string key, HttpRequest request, ExperimentsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.ExperimentRequestBody, cancellationToken);
        return problem ?? (Results<Ok<ExperimentBody>, ProblemHttpResult>)await handler.UpdateAsync(key, body!, cancellationToken);
    }

    private static async Task<Results<Ok<ExperimentBody>, ProblemHttpResult>> ChangeWeightsAsync(
        string key, HttpRequest request, ExperimentsHandler handler, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.WeightsRequestBody, cancellationToken);
        return problem ?? (Results<Ok<ExperimentBody>, ProblemHttpResult>)await handler.ChangeWeightsAsync(key, body!, cancellationToken);
    }
}
