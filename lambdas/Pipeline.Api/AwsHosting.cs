using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Pipeline.Adapters.Aws;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Adapters.Aws.S3;
using Pipeline.Adapters.Aws.Sqs;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Api.Functions;
using Pipeline.Api.Hosting;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Domain.Training;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Api;

/// <summary>
/// The Lambda's composition on AWS (PIPELINE_MODE=aws, set by the infra with the PIPELINE_*_TABLE names):
/// DynamoDB stores instead of SQLite, events appended through the SQS queue, and on the consumer function the
/// Web Adapter's pass-through path that takes SQS batches (<see cref="Hosting.RoleComposition"/> picks by PIPELINE_ROLE).
/// Region and credentials come from the Lambda environment; AWS_ENDPOINT_URL points the clients elsewhere, e.g. at
/// moto_server (<see cref="AwsClients"/>).
/// </summary>
public static class AwsHosting
{
    public static bool IsAwsMode(IConfiguration configuration) =>
        string.Equals(configuration[EnvironmentVariables.Mode], PipelineModes.Aws, StringComparison.OrdinalIgnoreCase);

    /// <param name="clients">The SDK clients (region, credentials and endpoint from the host's configuration).</param>
    /// <param name="consumer">The events consumer function: its store steps, not the API's queue.</param>
    public static WebApplicationBuilder AddAwsStores(this WebApplicationBuilder builder, AwsClients clients, bool consumer)
    {
        var configuration = builder.Configuration;
        var tables = DynamoDbTables.FromEnvironment(name => configuration[name]);
        var dynamo = clients.DynamoDb();
        builder.Services.AddDynamoDbStores(tables, dynamo);

        if (!consumer && configuration[EnvironmentVariables.EventsQueueUrl] is { Length: > 0 } queueUrl)
        {
            // The API: events go through the queue; its own table (if it may read it) serves the user's history.
            var producer = new SqsEventProducer(clients.Sqs(), queueUrl);
            builder.Services.AddSingleton<IEventStore>(services => new QueuedEventStore(producer,
                tables.Events is null ? null : new DynamoDbEventStore(dynamo, tables, services.GetRequiredService<TimeProvider>())));
            // Exposures and attribution leave the request path: the consumer records them from the same queue.
            builder.Services.AddSingleton<IExperimentTracking>(new QueuedExperimentTracking(producer));
        }
        if (consumer)
        {
            builder.Services.AddSingleton<ExperimentMetricsRecorder>();
            builder.Services.AddSingleton(services => NewConsumer(services, configuration, clients));
        }
        return builder;
    }

    /// <summary>
    /// The consumer function's work: the exposures the API queued, then the events' steps: store (events table), attribute, and where configured PutEvents to the tracker
    /// (PIPELINE_PERSONALIZE_TRACKING_ID; PIPELINE_PERSONALIZE_EVENTS_ENDPOINT overrides the regional endpoint) and the
    /// CSV archive in the data bucket (PIPELINE_DATA_BUCKET). Attribution comes before forwarding, so an event that waits
    /// for its exposure is forwarded once, when it is attributed.
    /// </summary>
    private static SqsEventsConsumer NewConsumer(IServiceProvider services, IConfiguration configuration, AwsClients clients)
    {
        var recorder = services.GetRequiredService<ExperimentMetricsRecorder>();
        var steps = new List<IEventBatchStep>
        {
            new EventStoreStep(services.GetRequiredService<IEventStore>()),
            new AttributionStep(recorder, services.GetRequiredService<TimeProvider>()),
        };
        if (configuration[EnvironmentVariables.PersonalizeTrackingId] is { Length: > 0 } trackingId)
        {
            steps.Add(new PersonalizeEventForwarder(PersonalizeEventsClient.Create(configuration[PersonalizeEventsClient.EndpointSetting]), trackingId));
        }
        if (configuration[EnvironmentVariables.DataBucket] is { Length: > 0 } bucket)
        {
            steps.Add(new S3EventArchive(clients.S3(), bucket));
        }
        var exposures = new ExposureRecording(services.GetRequiredService<IExposureStore>(), recorder);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SqsEventsConsumer));
        return new SqsEventsConsumer(steps, exposures, (part, error, count) => logger.LogWarning(error,
            "Events consumer part {Part} failed for {Failed} messages; they are retried", part, count));
    }

    /// <summary>
    /// Maps the path the Web Adapter hands non-HTTP events to (AWS_LWA_PASS_THROUGH_PATH), only where it is set:
    /// the consumer function. The API function has no such path, so API Gateway cannot reach it.
    /// </summary>
    public static WebApplication MapSqsPassThrough(this WebApplication app)
    {
        if (app.Configuration[EnvironmentVariables.PassThroughPath] is not { Length: > 0 } path)
        {
            return app;
        }
        app.MapPost(path, async (HttpRequest request, SqsEventsConsumer consumer, ILoggerFactory logs, CancellationToken cancellationToken) =>
        {
            // A batch that cannot be read throws here: the 500 it becomes fails the invocation (AWS_LWA_ERROR_STATUS_CODES),
            // so Lambda keeps every message; an empty 500 without that setting would reach Lambda as a null result,
            // which SQS takes for success and deletes the batch.
            var batch = await JsonSerializer.DeserializeAsync(request.Body, SqsJsonContext.Default.SqsLambdaEvent, cancellationToken)
                ?? throw new JsonException("The SQS event is null.");
            try
            {
                var response = await consumer.HandleAsync(batch, cancellationToken);
                return TypedResults.Json(response, SqsJsonContext.Default.SqsBatchResponse);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever failed, no message of this batch is acknowledged: each is reported failed and redelivered.
                logs.CreateLogger(typeof(SqsEventsConsumer)).LogError(e, "The events consumer failed; all {Count} messages of the batch are retried", batch.Records.Count);
                return TypedResults.Json(new SqsBatchResponse([.. batch.Records.Select(r => new SqsBatchItemFailure(r.MessageId))]),
                    SqsJsonContext.Default.SqsBatchResponse);
            }
        });
        return app;
    }

    /// <summary>
    /// The bandit updater function's services: the experiments and aggregates stores on DynamoDB (only those two tables
    /// are configured, so no other store is registered) and <see cref="BanditUpdater"/>, the class `pipeline up`'s
    /// scheduler and the API's POST /experiments/bandits/update run.
    /// </summary>
    public static WebApplicationBuilder AddBanditUpdaterFunction(this WebApplicationBuilder builder, AwsClients clients)
    {
        var configuration = builder.Configuration;
        var tables = DynamoDbTables.FromEnvironment(name => configuration[name]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDynamoDbStores(new DynamoDbTables { Experiments = tables.Experiments, Aggregates = tables.Aggregates }, clients.DynamoDb());
        builder.Services.AddSingleton<BanditUpdater>();
        return builder;
    }

    /// <summary>
    /// The bandit updater's routes: <c>GET /health</c> for the Web Adapter's readiness check, and the path it POSTs the
    /// scheduled event to. Every invoke runs the due updates; the answer names the bandits whose weights changed.
    /// </summary>
    public static WebApplication MapBanditUpdaterFunction(this WebApplication app)
    {
        app.MapReadinessCheck();
        app.MapPost(PassThroughPaths.BanditUpdater, async (BanditUpdater updater, CancellationToken cancellationToken) =>
        {
            var updated = await updater.UpdateDueAsync(cancellationToken);
            var experiments = new JsonArray();
            foreach (var experiment in updated)
            {
                experiments.Add(new JsonObject
                {
                    ["key"] = experiment.Key,
                    ["period"] = experiment.WeightHistory[^1].Number,
                    ["weights"] = new JsonArray([.. experiment.Variants.Select(v => (JsonNode?)JsonValue.Create(v.Weight))]),
                });
            }
            return TypedResults.Text(new JsonObject { ["experiments"] = experiments }.ToJsonString(), "application/json");
        });
        return app;
    }

    /// <summary>The gate function's services: its JSON transport and the rule, nothing else (it reads no store and no model).</summary>
    public static WebApplicationBuilder AddMetricGateFunction(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PromotionRule>();
        builder.Services.AddSingleton<MetricGateFunction>();
        return builder;
    }

    /// <summary>
    /// The gate function's routes: <c>GET /health</c> for the Web Adapter's readiness check, and the path it POSTs the
    /// Step Functions payload to; the answer, <c>{promote, reason, error}</c>, is the invoke's result.
    /// </summary>
    public static WebApplication MapMetricGateFunction(this WebApplication app)
    {
        app.MapReadinessCheck();
        app.MapJsonInvoke<MetricGateFunction>(PassThroughPaths.MetricGate, (gate, payload, cancellationToken) => gate.HandleJsonAsync(payload, cancellationToken));
        return app;
    }

    /// <summary>The online gate function's services: the experiments and aggregates stores (DynamoDB), the results and the rule.</summary>
    public static WebApplicationBuilder AddOnlineGateFunction(this WebApplicationBuilder builder, Hosting.AwsClients clients)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddAwsStores(clients, consumer: false);
        builder.Services.AddSingleton<ExperimentResultsService>();
        builder.Services.AddSingleton<OnlineGateRule>();
        builder.Services.AddSingleton<OnlineGateActions>();
        builder.Services.AddSingleton<OnlineGateFunction>();
        return builder;
    }

    /// <summary>The online gate function's routes: <c>GET /health</c> and the pass-through path; the answer is the invoke's result.</summary>
    public static WebApplication MapOnlineGateFunction(this WebApplication app)
    {
        app.MapReadinessCheck();
        app.MapJsonInvoke<OnlineGateFunction>(PassThroughPaths.OnlineGate, (gate, payload, cancellationToken) => gate.HandleJsonAsync(payload, cancellationToken));
        return app;
    }
}
