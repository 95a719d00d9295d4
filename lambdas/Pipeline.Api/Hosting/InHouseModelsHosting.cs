using Pipeline.Adapters.Aws.S3;
using Pipeline.Api.Functions;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Recommendations;
using Pipeline.Domain.Storage;
using Pipeline.Engine.InHouse;

namespace Pipeline.Api.Hosting;

/// <summary>The in-house models on AWS: the trainer function, and the API's registry that reads what it writes.</summary>
public static class InHouseModelsHosting
{
    /// <summary>The API's models: the trainer's artifacts in the data bucket, loaded at first use and refreshed by manifest.</summary>
    public static WebApplicationBuilder AddInHouseModels(this WebApplicationBuilder builder, HostSettings settings, AwsClients clients)
    {
        var objects = new S3ObjectStore(clients.S3());
        builder.Services.AddSingleton(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ArtifactModelRegistry));
            return new ArtifactModelRegistry(objects, settings.InHouseModels, services.GetRequiredService<TimeProvider>(),
                e => logger.LogWarning(e, "In-house models: reading s3://{Bucket}/{Manifest} failed; serving what was loaded", settings.InHouseModels.Bucket, settings.InHouseModels.ManifestKey));
        });
        builder.Services.AddSingleton<IModelRegistry>(services => services.GetRequiredService<ArtifactModelRegistry>());
        return builder;
    }

    public static WebApplicationBuilder AddInHouseTrainerFunction(this WebApplicationBuilder builder, HostSettings settings, AwsClients clients)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IObjectStore>(new S3ObjectStore(clients.S3()));
        builder.Services.AddSingleton(settings.InHouseModels);
        builder.Services.AddSingleton<InHouseTrainingHandler>();
        builder.Services.AddSingleton<InHouseTrainerFunction>();
        return builder;
    }

    /// <summary>
    /// The trainer function's routes: <c>GET /health</c> for the Web Adapter's readiness check, and the path it POSTs the
    /// Step Functions payload to; the answer, <c>{status, version, models, reason, error}</c>, is the invoke's result.
    /// </summary>
    public static WebApplication MapInHouseTrainerFunction(this WebApplication app)
    {
        app.MapReadinessCheck();
        app.MapJsonInvoke<InHouseTrainerFunction>(PassThroughPaths.InHouseTrainer,
            (trainer, payload, cancellationToken) => trainer.HandleJsonAsync(payload, cancellationToken));
        return app;
    }
}
