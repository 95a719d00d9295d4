using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Adapters.Aws.Tests.Moto;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests;

/// <summary>
/// The Lambda's AWS composition end to end on moto_server, configured as the infra configures the two functions:
/// the API (tables, queue URL) and the consumer (events table, Web Adapter pass-through path).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsHostingTests(MotoServer moto, SampleModels models) : IClassFixture<SampleModels>
{
    private const string PassThroughPath = "/internal/sqs-events";

    [Fact]
    public async Task AwsMode_ServesFromDynamoDb_QueuesEvents_AndTheConsumerStoresThem()
    {
        using var dynamo = moto.DynamoDb();
        using var sqs = moto.Sqs();
        var prefix = $"h{Guid.NewGuid():N}"[..10];
        var tables = new DynamoDbTables
        {
            Experiments = $"{prefix}-Experiments", Assignments = $"{prefix}-Assignments", Exposures = $"{prefix}-Exposures",
            Items = $"{prefix}-Items", Users = $"{prefix}-Users", Events = $"{prefix}-Events", Aggregates = $"{prefix}-Aggregates",
        };
        await DynamoDbSchema.CreateTablesAsync(dynamo, tables);
        var queueUrl = (await sqs.CreateQueueAsync($"{prefix}-events")).QueueUrl;
        var shared = new Dictionary<string, string?>
        {
            ["PIPELINE_MODE"] = "aws",
            ["PIPELINE_EXPERIMENTS_TABLE"] = tables.Experiments,
            ["PIPELINE_ASSIGNMENTS_TABLE"] = tables.Assignments,
            ["PIPELINE_EXPOSURES_TABLE"] = tables.Exposures,
            ["PIPELINE_ITEMS_TABLE"] = tables.Items,
            ["PIPELINE_USERS_TABLE"] = tables.Users,
            ["PIPELINE_AGGREGATES_TABLE"] = tables.Aggregates,
        };
        var experiment = new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.5, Recipes.PopularityCount), new Variant("b", 0.5, Recipes.PopularityCount)], 1, "default", DateTimeOffset.UnixEpoch);
        await new DynamoDbExperimentStore(dynamo, tables).UpsertAsync(experiment);
        await using var api = await StartAsync(new(shared) { ["PIPELINE_EVENTS_QUEUE_URL"] = queueUrl }, dynamo, sqs);
        using var s3 = new AmazonS3Client(MotoServer.Credentials, new AmazonS3Config
        {
            ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region, ForcePathStyle = true,
        });
        var bucket = $"{prefix}-data";
        await s3.PutBucketAsync(bucket);
        await using var consumer = await StartAsync(new(shared)
        {
            ["PIPELINE_EVENTS_TABLE"] = tables.Events, ["AWS_LWA_PASS_THROUGH_PATH"] = PassThroughPath, ["PIPELINE_DATA_BUCKET"] = bucket,
        }, dynamo, sqs, s3);
        using var apiClient = new HttpClient { BaseAddress = new Uri(api.Urls.Single()) };
        using var consumerClient = new HttpClient { BaseAddress = new Uri(consumer.Urls.Single()) };

        var served = await apiClient.PostAsync("/recommendations", Json("""{"user_id":"u1","num_results":3}"""));
        var accepted = await apiClient.PostAsync("/events", Json("""{"event_id":"ev-1","user_id":"u1","item_id":"i1","session_id":"s1","event_type":"click"}"""));
        var message = Assert.Single((await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 2 })).Messages);
        var batch = JsonSerializer.Serialize(new { Records = new[] { new { messageId = message.MessageId, body = message.Body } } });
        var consumed = await consumerClient.PostAsync(PassThroughPath, Json(batch));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var body = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        var variant = body.RootElement.GetProperty("variant").GetString();
        Assert.Contains(variant, new[] { "a", "b" });
        Assert.Equal(variant, (await new DynamoDbAssignmentStore(dynamo, tables, TimeProvider.System).GetAsync(experiment.StickyKey(), "u1"))!.VariantKey);
        Assert.NotNull(await new DynamoDbExposureStore(dynamo, tables, TimeProvider.System)
            .GetAsync(body.RootElement.GetProperty("recommendation_id").GetString()!));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // The exposure reached the experiment's aggregates.
        var daily = Assert.Single(await new DynamoDbExperimentMetricsStore(dynamo, tables, TimeProvider.System).ListDailyAsync("default", 0));
        Assert.Equal((variant, 1L, 1L), (daily.VariantKey, daily.ExposedUsers, daily.Exposures));
        Assert.Equal("""{"batchItemFailures":[]}""", await consumed.Content.ReadAsStringAsync());
        Assert.Equal("u1", (await new DynamoDbEventStore(dynamo, tables, TimeProvider.System).GetAsync("ev-1"))!.UserId);
        // Archived in the data bucket as one CSV object under events/.
        var archived = Assert.Single((await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = "events/" })).S3Objects);
        Assert.EndsWith(".csv", archived.Key, StringComparison.Ordinal);
        // The API function has no pass-through path, so API Gateway cannot post batches to it.
        Assert.Equal(HttpStatusCode.NotFound, (await apiClient.PostAsync(PassThroughPath, Json(batch))).StatusCode);
    }

    [Fact]
    public async Task AwsMode_CatalogBatchUpserts_LandInDynamoDb_AndGetItemReflectsThem()
    {
        using var dynamo = moto.DynamoDb();
        using var sqs = moto.Sqs();
        var prefix = $"c{Guid.NewGuid():N}"[..10];
        var tables = new DynamoDbTables
        {
            Experiments = $"{prefix}-Experiments", Assignments = $"{prefix}-Assignments", Exposures = $"{prefix}-Exposures",
            Items = $"{prefix}-Items", Users = $"{prefix}-Users", Aggregates = $"{prefix}-Aggregates",
        };
        await DynamoDbSchema.CreateTablesAsync(dynamo, tables);
        await using var api = await StartAsync(new()
        {
            ["PIPELINE_MODE"] = "aws",
            ["PIPELINE_EXPERIMENTS_TABLE"] = tables.Experiments,
            ["PIPELINE_ASSIGNMENTS_TABLE"] = tables.Assignments,
            ["PIPELINE_EXPOSURES_TABLE"] = tables.Exposures,
            ["PIPELINE_ITEMS_TABLE"] = tables.Items,
            ["PIPELINE_USERS_TABLE"] = tables.Users,
            ["PIPELINE_AGGREGATES_TABLE"] = tables.Aggregates,
        }, dynamo, sqs);
        using var client = new HttpClient { BaseAddress = new Uri(api.Urls.Single()) };
        // 40 items: more than one BatchWriteItem (25 at most) has to carry them.
        var items = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"item_id":"sku-{{i}}","category":"c{{i % 3}}","price":{{i}},"creation_timestamp":1700000000}"""));

        var rejected = await client.PutAsync("/items", Json("""{"items":[{"item_id":"x"},{"item_id":""}]}"""));
        var upserted = await client.PutAsync("/items", Json($$"""{"items":[{{items}}]}"""));
        var users = await client.PutAsync("/users", Json("""{"users":[{"user_id":"u-1","attributes":{"MEMBERSHIP":"gold"}}]}"""));
        using var item = JsonDocument.Parse(await client.GetStringAsync("/items/sku-39"));

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(40, await new DynamoDbItemStore(dynamo, tables).CountAsync()); // "x" of the rejected batch is not among them
        Assert.Equal("c0", item.RootElement.GetProperty("category").GetString());
        Assert.Equal(39, item.RootElement.GetProperty("price").GetDouble());
        Assert.Equal("gold", (await new DynamoDbUserStore(dynamo, tables).GetAsync("u-1"))!.Attributes["MEMBERSHIP"]);
    }

    /// <summary>The composition of Program.cs in AWS mode, with moto's clients.</summary>
    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, IAmazonDynamoDB dynamo, IAmazonSQS sqs, IAmazonS3? s3 = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPipelineApi();
        Assert.True(AwsHosting.IsAwsMode(builder.Configuration));
        builder.AddAwsStores(dynamo, sqs, s3);
        builder.Services.AddSingleton<IModelRegistry>(models.Registry());
        var app = builder.Build();
        app.MapPipelineApi();
        app.MapSqsPassThrough();
        await app.StartAsync();
        return app;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
