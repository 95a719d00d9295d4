using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Api.Hosting;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Api.Tests.Hosting;

/// <summary>
/// Program.cs in AWS mode on moto_server, one instance per function as the infra configures them: the API, the events
/// consumer and the in-house trainer, each selected by PIPELINE_ROLE.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsRolesOnMotoTests(MotoServer moto)
{
    private const string PassThroughPath = "/internal/sqs-events";

    [Fact]
    public async Task ApiAndConsumer_ServeFromDynamoDb_QueueEventsAndExposures_AndTheConsumerStoresAttributesAndArchives()
    {
        await using var stack = await Stack.CreateAsync(moto);
        await stack.PutExperimentAsync(Recipes.PopularityCount, Recipes.PopularityCount);
        await using var api = stack.Api();
        await using var consumer = stack.Consumer();
        using var apiClient = api.CreateClient();
        using var consumerClient = consumer.CreateClient();

        var served = await apiClient.PostAsync("/recommendations", Json("""{"user_id":"u1","num_results":3}"""));
        using var body = JsonDocument.Parse(await served.Content.ReadAsStringAsync());
        var recommendationId = body.RootElement.GetProperty("recommendation_id").GetString();
        var accepted = await apiClient.PostAsync("/events", Json($$"""{"event_id":"ev-1","user_id":"u1","item_id":"i1","session_id":"s1","event_type":"click","recommendation_id":"{{recommendationId}}"}"""));
        var messages = await stack.ReceiveAllAsync(2);
        var consumed = await consumerClient.PostAsync(PassThroughPath, Json(Batch(messages)));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        // A deployment before its first training: nothing trained, said so, never a 5xx.
        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), body.RootElement.GetProperty("served_by").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("items").GetArrayLength());
        var variant = body.RootElement.GetProperty("variant").GetString();
        Assert.Equal(variant, (await new DynamoDbAssignmentStore(stack.Dynamo, stack.Tables, TimeProvider.System).GetAsync(stack.Experiment.StickyKey(), "u1"))!.VariantKey);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("""{"batchItemFailures":[]}""", await consumed.Content.ReadAsStringAsync());
        Assert.Equal("u1", (await new DynamoDbEventStore(stack.Dynamo, stack.Tables, TimeProvider.System).GetAsync("ev-1"))!.UserId);
        Assert.Equal(variant, (await new DynamoDbExposureStore(stack.Dynamo, stack.Tables, TimeProvider.System).GetAsync(recommendationId!))!.VariantKey);
        // The consumer counted the exposure and attributed the click: the results the API reads show both.
        var daily = Assert.Single(await new DynamoDbExperimentMetricsStore(stack.Dynamo, stack.Tables, TimeProvider.System).ListDailyAsync("default", stack.Experiment.Phase));
        Assert.Equal((variant, 1L, 1L, 1L), (daily.VariantKey, daily.ExposedUsers, daily.Exposures, daily.Clicks));
        var archived = Assert.Single((await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = "events/" })).S3Objects);
        Assert.EndsWith(".csv", archived.Key, StringComparison.Ordinal);
        // Each function has only its own routes: API Gateway cannot post batches, the consumer serves no API.
        Assert.Equal(HttpStatusCode.NotFound, (await apiClient.PostAsync(PassThroughPath, Json(Batch(messages)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await consumerClient.PostAsync("/recommendations", Json("""{"user_id":"u1"}"""))).StatusCode);
    }

    [Fact]
    public async Task Consumer_WhenAClickArrivesBeforeItsExposure_RetriesItAndAttributesItOnRedelivery()
    {
        await using var stack = await Stack.CreateAsync(moto);
        await stack.PutExperimentAsync(Recipes.PopularityCount, Recipes.PopularityCount);
        await using var api = stack.Api();
        await using var consumer = stack.Consumer();
        using var apiClient = api.CreateClient();
        using var consumerClient = consumer.CreateClient();
        using var served = JsonDocument.Parse(await (await apiClient.PostAsync("/recommendations", Json("""{"user_id":"u2"}"""))).Content.ReadAsStringAsync());
        var recommendationId = served.RootElement.GetProperty("recommendation_id").GetString();
        await apiClient.PostAsync("/events", Json($$"""{"event_id":"ev-2","user_id":"u2","item_id":"i1","session_id":"s1","event_type":"click","recommendation_id":"{{recommendationId}}"}"""));
        var messages = await stack.ReceiveAllAsync(2);
        var click = messages.Single(m => m.Body.Contains("ev-2", StringComparison.Ordinal));
        var exposure = messages.Single(m => m != click);

        // Another consumer instance takes the click's batch first: the click waits, its exposure's batch records it.
        var early = await consumerClient.PostAsync(PassThroughPath, Json(Batch([click])));
        var exposed = await consumerClient.PostAsync(PassThroughPath, Json(Batch([exposure])));
        var redelivered = await consumerClient.PostAsync(PassThroughPath, Json(Batch([click])));

        Assert.Equal($$"""{"batchItemFailures":[{"itemIdentifier":"{{click.MessageId}}"}]}""", await early.Content.ReadAsStringAsync());
        Assert.Equal("""{"batchItemFailures":[]}""", await exposed.Content.ReadAsStringAsync());
        Assert.Equal("""{"batchItemFailures":[]}""", await redelivered.Content.ReadAsStringAsync());
        var daily = Assert.Single(await new DynamoDbExperimentMetricsStore(stack.Dynamo, stack.Tables, TimeProvider.System).ListDailyAsync("default", stack.Experiment.Phase));
        Assert.Equal((1L, 1L), (daily.Exposures, daily.Clicks));
        // The exposure's redelivery counts once (idempotent by recommendation id).
        await consumerClient.PostAsync(PassThroughPath, Json(Batch([exposure])));
        Assert.Equal(1L, Assert.Single(await new DynamoDbExperimentMetricsStore(stack.Dynamo, stack.Tables, TimeProvider.System).ListDailyAsync("default", stack.Experiment.Phase)).Exposures);
    }

    /// <summary>
    /// A bandit in its period 2: the API's exposure message carries the period, and the consumer stamps the user with it
    /// and counts the exposure and the click in period 2's row (what the bandit's per-period SRM and estimates read).
    /// </summary>
    [Fact]
    public async Task ApiAndConsumer_StampABanditsUserWithThePeriodThatBucketedThem()
    {
        await using var stack = await Stack.CreateAsync(moto);
        var started = DateTimeOffset.UtcNow.AddHours(-3);
        await stack.PutExperimentAsync(new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.3, Recipes.PopularityCount), new Variant("b", 0.7, Recipes.PopularityCount)], 1, "default", started)
        {
            StartedAt = started,
            Allocation = ExperimentAllocation.Bandit,
            Bandit = new BanditSettings(TimeSpan.FromDays(1), 0.05, TimeSpan.FromHours(1)),
            WeightHistory =
            [
                new(0, started, [0.5, 0.5], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
                new(1, started.AddHours(1), [0.4, 0.6], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
                new(2, started.AddHours(2), [0.3, 0.7], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
            ],
        });
        await using var api = stack.Api();
        await using var consumer = stack.Consumer();
        using var apiClient = api.CreateClient();
        using var consumerClient = consumer.CreateClient();

        using var served = JsonDocument.Parse(await (await apiClient.PostAsync("/recommendations", Json("""{"user_id":"u3"}"""))).Content.ReadAsStringAsync());
        var recommendationId = served.RootElement.GetProperty("recommendation_id").GetString();
        await apiClient.PostAsync("/events", Json($$"""{"event_id":"ev-3","user_id":"u3","item_id":"i1","session_id":"s1","event_type":"click","recommendation_id":"{{recommendationId}}"}"""));
        var consumed = await consumerClient.PostAsync(PassThroughPath, Json(Batch(await stack.ReceiveAllAsync(2))));

        Assert.Equal("""{"batchItemFailures":[]}""", await consumed.Content.ReadAsStringAsync());
        var metrics = new DynamoDbExperimentMetricsStore(stack.Dynamo, stack.Tables, TimeProvider.System);
        var daily = Assert.Single(await metrics.ListDailyAsync("default", stack.Experiment.Phase));
        Assert.Equal((2, 1L, 1L), (daily.Period, daily.ExposedUsers, daily.Clickers));
        Assert.Equal(2, (await metrics.GetUserAsync("default", "u3"))!.Period);
    }

    [Fact]
    public async Task Trainer_WritesVersionedModels_AndTheApiServesThem_AndARetrainingWithinTheTtl()
    {
        await using var stack = await Stack.CreateAsync(moto);
        await stack.PutExperimentAsync(Recipes.PopularityCount, Recipes.PopularityCount);
        await stack.PutObjectAsync("training/interactions.csv", Interactions(("i1", 5), ("i2", 3), ("i3", 1)));
        await using var api = stack.Api(refreshSeconds: 1);
        await using var trainer = stack.Trainer();
        using var apiClient = api.CreateClient();
        using var trainerClient = trainer.CreateClient();
        const string payload = """{"dataset_group":"pipeline","import":{"interactions":"s3://BUCKET/training/interactions.csv","mode":"FULL"}}""";

        var before = await RecommendAsync(apiClient);
        var first = await InvokeAsync(trainerClient, payload.Replace("BUCKET", stack.Bucket, StringComparison.Ordinal));
        var served = await RecommendUntilAsync(apiClient, body => body["served_by"]!.GetValue<string>() == ServedBy.Primary);
        await stack.PutObjectAsync("training/interactions.csv", Interactions(("i3", 9), ("i1", 2)));
        var second = await InvokeAsync(trainerClient, payload.Replace("BUCKET", stack.Bucket, StringComparison.Ordinal));
        var retrained = await RecommendUntilAsync(apiClient, body => Items(body)[0] == "i3");
        // A run without an import retrains on the file the served models came from.
        var again = await InvokeAsync(trainerClient, """{"dataset_group":"pipeline","import":{"mode":"FULL"}}""");

        Assert.Equal(ServedBy.Fallback(ServedBy.NotTrained), before["served_by"]!.GetValue<string>());
        Assert.Equal("TRAINED", first["status"]!.GetValue<string>());
        Assert.Null(first["error"]);
        Assert.Equal(["aws-popularity-count", "aws-sims"], first["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["i1", "i2", "i3"], Items(served));
        Assert.NotEqual(first["version"]!.GetValue<string>(), second["version"]!.GetValue<string>());
        Assert.Equal(["i3", "i1"], Items(retrained));
        Assert.Equal(ServedBy.Primary, retrained["served_by"]!.GetValue<string>());
        Assert.Equal("TRAINED", again["status"]!.GetValue<string>());
        var keys = (await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = "models/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Contains("models/manifest.json", keys);
        Assert.Contains($"models/{first["version"]!.GetValue<string>()}/aws-popularity-count.model", keys);
        Assert.Contains($"models/{second["version"]!.GetValue<string>()}/aws-sims.model", keys);
    }

    [Fact]
    public async Task Trainer_WithAnImportThatDoesNotExist_AnswersTheErrorForTheWorkflow_AndWritesNothing()
    {
        await using var stack = await Stack.CreateAsync(moto);
        await using var trainer = stack.Trainer();
        using var client = trainer.CreateClient();

        var answer = await InvokeAsync(client, $$$"""{"dataset_group":"pipeline","import":{"interactions":"s3://{{{stack.Bucket}}}/training/missing.csv"}}""");
        var notJson = await InvokeAsync(client, "not json");
        var nothing = await InvokeAsync(client, """{"dataset_group":"pipeline","import":{"mode":"FULL"}}""");

        Assert.Equal("Pipeline.ImportNotFound", answer["error"]!.GetValue<string>());
        Assert.Equal("Pipeline.InvalidTrainerInput", notJson["error"]!.GetValue<string>());
        Assert.Equal("SKIPPED", nothing["status"]!.GetValue<string>());
        Assert.Null(nothing["error"]);
        Assert.Empty((await stack.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = stack.Bucket, Prefix = "models/" })).S3Objects ?? []);
    }

    [Fact]
    public async Task Api_CatalogBatchUpserts_LandInDynamoDb_AndGetItemReflectsThem()
    {
        await using var stack = await Stack.CreateAsync(moto);
        await using var api = stack.Api();
        using var client = api.CreateClient();
        // 40 items: more than one BatchWriteItem (25 at most) has to carry them.
        var items = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"item_id":"sku-{{i}}","category":"c{{i % 3}}","price":{{i}},"creation_timestamp":1700000000}"""));

        var rejected = await client.PutAsync("/items", Json("""{"items":[{"item_id":"x"},{"item_id":""}]}"""));
        var upserted = await client.PutAsync("/items", Json($$"""{"items":[{{items}}]}"""));
        var users = await client.PutAsync("/users", Json("""{"users":[{"user_id":"u-1","attributes":{"MEMBERSHIP":"gold"}}]}"""));
        using var item = JsonDocument.Parse(await client.GetStringAsync("/items/sku-39"));

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(40, await new DynamoDbItemStore(stack.Dynamo, stack.Tables).CountAsync()); // "x" of the rejected batch is not among them
        Assert.Equal("c0", item.RootElement.GetProperty("category").GetString());
        Assert.Equal(39, item.RootElement.GetProperty("price").GetDouble());
        Assert.Equal("gold", (await new DynamoDbUserStore(stack.Dynamo, stack.Tables).GetAsync("u-1"))!.Attributes["MEMBERSHIP"]);
    }

    private static byte[] Interactions(params (string Item, int Count)[] counts)
    {
        var csv = new StringBuilder("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n");
        var user = 0;
        foreach (var (item, count) in counts)
        {
            for (var i = 0; i < count; i++) csv.Append(CultureInfo.InvariantCulture, $"user{user++ % 4},{item},{1_700_000_000 + user},click\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<JsonObject> InvokeAsync(HttpClient trainer, string payload)
    {
        using var response = await trainer.PostAsync(PassThroughPaths.InHouseTrainer, Json(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<JsonObject> RecommendAsync(HttpClient api)
    {
        using var response = await api.PostAsync("/recommendations", Json("""{"user_id":"someone","num_results":5}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asks until the answer holds, for at most twice the registry's 1 s TTL plus the load.</summary>
    private static async Task<JsonObject> RecommendUntilAsync(HttpClient api, Func<JsonObject, bool> holds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var body = await RecommendAsync(api);
            if (holds(body) || DateTime.UtcNow > deadline) return body;
            await Task.Delay(100);
        }
    }

    private static string[] Items(JsonObject body) => [.. body["items"]!.AsArray().Select(i => i!["item_id"]!.GetValue<string>())];

    /// <summary>The SQS event the Lambda service hands the consumer function for these messages.</summary>
    private static string Batch(IEnumerable<Message> messages) =>
        JsonSerializer.Serialize(new { Records = messages.Select(m => new { messageId = m.MessageId, body = m.Body }).ToArray() });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>One test's tables, queue and bucket on moto, named with a fresh prefix.</summary>
    private sealed class Stack : IAsyncDisposable
    {
        private readonly MotoServer _moto;

        private Stack(MotoServer moto, string prefix)
        {
            _moto = moto;
            Dynamo = moto.DynamoDb();
            Sqs = moto.Sqs();
            S3 = ProgramHost.S3(moto);
            Tables = new DynamoDbTables
            {
                Experiments = $"{prefix}-Experiments", Assignments = $"{prefix}-Assignments", Exposures = $"{prefix}-Exposures",
                Items = $"{prefix}-Items", Users = $"{prefix}-Users", Events = $"{prefix}-Events", Aggregates = $"{prefix}-Aggregates",
            };
            Bucket = $"{prefix}-data";
        }

        public IAmazonDynamoDB Dynamo { get; }
        public IAmazonSQS Sqs { get; }
        public IAmazonS3 S3 { get; }
        public DynamoDbTables Tables { get; }
        public string Bucket { get; }
        public string QueueUrl { get; private set; } = "";
        public Experiment Experiment { get; private set; } = null!;

        public static async Task<Stack> CreateAsync(MotoServer moto)
        {
            var stack = new Stack(moto, $"h{Guid.NewGuid():N}"[..10]);
            await DynamoDbSchema.CreateTablesAsync(stack.Dynamo, stack.Tables);
            stack.QueueUrl = (await stack.Sqs.CreateQueueAsync(stack.Bucket.Replace("-data", "-events", StringComparison.Ordinal))).QueueUrl;
            await stack.S3.PutBucketAsync(stack.Bucket);
            return stack;
        }

        public async Task PutExperimentAsync(Experiment experiment)
        {
            Experiment = experiment;
            await new DynamoDbExperimentStore(Dynamo, Tables).UpsertAsync(Experiment);
        }

        public async Task PutExperimentAsync(string recipeA, string recipeB)
        {
            Experiment = new Experiment("default", ExperimentStatus.Running,
                [new Variant("a", 0.5, recipeA), new Variant("b", 0.5, recipeB)], 1, "default", DateTimeOffset.UnixEpoch);
            await new DynamoDbExperimentStore(Dynamo, Tables).UpsertAsync(Experiment);
        }

        public Task PutObjectAsync(string key, byte[] content) =>
            S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content) });

        /// <summary>The API function's environment (ApiConstruct).</summary>
        public ProgramHost Api(int refreshSeconds = 60) => new(new Dictionary<string, string?>(ProgramHost.OnMoto(_moto))
        {
            ["PIPELINE_ROLE"] = PipelineRoles.Api,
            ["PIPELINE_EXPERIMENTS_TABLE"] = Tables.Experiments, ["PIPELINE_ASSIGNMENTS_TABLE"] = Tables.Assignments,
            ["PIPELINE_ITEMS_TABLE"] = Tables.Items,
            ["PIPELINE_USERS_TABLE"] = Tables.Users, ["PIPELINE_AGGREGATES_TABLE"] = Tables.Aggregates,
            ["PIPELINE_EVENTS_TABLE"] = Tables.Events, ["PIPELINE_EVENTS_QUEUE_URL"] = QueueUrl, ["PIPELINE_DATA_BUCKET"] = Bucket,
            ["InHouseModels:RefreshSeconds"] = refreshSeconds.ToString(CultureInfo.InvariantCulture),
        });

        /// <summary>The events consumer function's environment (EventsConstruct).</summary>
        public ProgramHost Consumer() => new(new Dictionary<string, string?>(ProgramHost.OnMoto(_moto))
        {
            ["PIPELINE_ROLE"] = PipelineRoles.EventsConsumer,
            ["PIPELINE_EVENTS_TABLE"] = Tables.Events, ["PIPELINE_AGGREGATES_TABLE"] = Tables.Aggregates,
            ["PIPELINE_EXPOSURES_TABLE"] = Tables.Exposures, ["AWS_LWA_PASS_THROUGH_PATH"] = PassThroughPath,
            ["PIPELINE_DATA_BUCKET"] = Bucket,
        });

        /// <summary>Every message the API queued, received once (moto hands out up to 10 per call).</summary>
        public async Task<List<Message>> ReceiveAllAsync(int expected)
        {
            var messages = new List<Message>();
            for (var i = 0; i < 10 && messages.Count < expected; i++)
            {
                var response = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
                messages.AddRange(response.Messages ?? []);
            }
            Assert.Equal(expected, messages.Count);
            return messages;
        }

        /// <summary>The trainer function's environment (TrainerConstruct).</summary>
        public ProgramHost Trainer() => new(new Dictionary<string, string?>(ProgramHost.OnMoto(_moto))
        {
            ["PIPELINE_ROLE"] = PipelineRoles.InHouseTrainer,
            ["AWS_LWA_PASS_THROUGH_PATH"] = PassThroughPaths.InHouseTrainer,
            ["PIPELINE_DATA_BUCKET"] = Bucket,
        });

        public ValueTask DisposeAsync()
        {
            Dynamo.Dispose();
            Sqs.Dispose();
            S3.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
