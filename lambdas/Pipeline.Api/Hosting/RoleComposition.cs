using Pipeline.Adapters.Local;
using Pipeline.Api.Serving;
using Pipeline.Api.Workflows;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Hosting;

/// <summary>What Program.cs builds for each PIPELINE_ROLE: each function gets only its own services and routes.</summary>
public static class RoleComposition
{
    public static WebApplication ComposeRole(this WebApplicationBuilder builder, HostSettings settings)
    {
        var clients = new AwsClients(builder.Configuration);
        switch (settings.Role)
        {
            case PipelineRoles.MetricGate:
            {
                // The training workflow's metric gate: no store, no model.
                var gate = builder.AddMetricGateFunction().Build();
                gate.MapMetricGateFunction();
                return gate;
            }
            case PipelineRoles.BanditUpdater:
            {
                // The scheduled bandit update: the experiments and aggregates tables, the same BanditUpdater as `pipeline up`.
                var updater = builder.AddBanditUpdaterFunction(clients).Build();
                updater.MapBanditUpdaterFunction();
                return updater;
            }
            case PipelineRoles.OnlineGate:
            {
                // The training workflow's online gate: the experiments and aggregates tables, no model.
                var gate = builder.AddOnlineGateFunction(clients).Build();
                gate.MapOnlineGateFunction();
                return gate;
            }
            case PipelineRoles.InHouseTrainer:
            {
                var trainer = builder.AddInHouseTrainerFunction(settings, clients).Build();
                trainer.MapInHouseTrainerFunction();
                return trainer;
            }
            case PipelineRoles.EventsConsumer:
            {
                // The SQS batches the Web Adapter hands over, and the readiness check; API Gateway reaches none of it.
                builder.Services.AddSingleton(TimeProvider.System);
                var consumer = builder.AddAwsStores(clients, consumer: true).Build();
                consumer.MapReadinessCheck();
                consumer.MapSqsPassThrough();
                return consumer;
            }
            default:
            {
                builder.AddPipelineApi();
                if (settings.Aws)
                {
                    builder.AddAwsStores(clients, consumer: false);
                    builder.AddInHouseModels(settings, clients);
                    builder.AddStepFunctionsWorkflows(clients);
                }
                else
                {
                    // The API alone on one machine (`pipeline up` composes its own host with the models it trains).
                    builder.Services.AddSqliteStores(builder.Configuration["Pipeline:Database"] ?? "pipeline.db");
                    builder.Services.AddSingleton<IModelRegistry>(new ModelRegistry());
                }
                // Variants with a campaign are served by it; experiments are read through the serving cache.
                builder.AddCampaignServing();
                var api = builder.Build();
                api.MapPipelineApi();
                return api;
            }
        }
    }
}
