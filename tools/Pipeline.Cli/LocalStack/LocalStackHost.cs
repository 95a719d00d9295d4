using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Local;
using Pipeline.Api;
using Pipeline.Api.Observability;
using Pipeline.Api.Serving;
using Pipeline.Api.Workflows;
using Pipeline.Cli.Workflows;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Cli.LocalStack;

/// <summary>
/// The composition root of the local stack: the API on Kestrel over the SQLite stores and the trained models, and,
/// given the local Personalize's endpoint, campaign-backed variants served by their campaigns through the same
/// runtime client as on AWS (HTTP on loopback).
/// </summary>
public static class LocalStackHost
{
    public static WebApplication Build(LocalStackOptions options, ModelRegistry models, Action<ILoggingBuilder>? logging = null,
        Uri? personalizeEndpoint = null, string personalizeRegion = "us-east-1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            // The API's structured JSON lines (request id in the scope); warnings and up, so requests log nothing.
            builder.Logging.AddPipelineJsonConsole().SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }
        builder.AddPipelineApi();
        builder.Services.AddSqliteStores(options.DatabasePath);
        builder.Services.AddSingleton<IModelRegistry>(models);
        // The /workflows routes read the stack's runner, which `pipeline up` attaches once it has built it.
        builder.Services.AddSingleton<LocalStackWorkflows>();
        builder.Services.AddSingleton<IWorkflowExecutions>(services => services.GetRequiredService<LocalStackWorkflows>());
        if (personalizeEndpoint is null)
        {
            builder.Services.AddExperimentsCache();
        }
        else
        {
            builder.AddCampaignServing(personalizeEndpoint, personalizeRegion);
        }
        var app = builder.Build();
        app.MapPipelineApi();
        return app;
    }
}
