using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Adapters.Aws.S3;
using Pipeline.Adapters.Aws.Signing;
using Pipeline.Adapters.Aws.Sqs;
using Pipeline.Domain.Events;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Adapters.Aws.Tests.Sqs;

/// <summary>
/// The consumer Lambda's path end to end: messages from a real SQS queue (moto_server) are stored in DynamoDB (moto),
/// forwarded with the SigV4 events client to the local Personalize service (over HTTP, an event tracker of a dataset
/// group with an interactions dataset) and archived as CSV in an S3 bucket (moto).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EventsConsumerStepsTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private const string InteractionsSchema = """
        {"type":"record","name":"Interactions","namespace":"com.amazonaws.personalize.schema","version":"1.0","fields":[
          {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},{"name":"TIMESTAMP","type":"long"},
          {"name":"EVENT_TYPE","type":"string"},{"name":"EVENT_VALUE","type":["null","float"]}]}
        """;

    private readonly IAmazonSQS _sqs = moto.Sqs();
    private readonly IAmazonS3 _s3 = new AmazonS3Client(MotoServer.Credentials, new AmazonS3Config
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
        ForcePathStyle = true,
    });
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-consumer-tests-" + Guid.NewGuid().ToString("N"));
    private PersonalizeServer _personalize = null!;
    private string _trackingId = "";
    private string _queueUrl = "";
    private string _bucket = "";
    private DynamoDbEventStore _store = null!;

    public async Task InitializeAsync()
    {
        _personalize = await PersonalizeServer.StartAsync(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(_root, "personalize"),
            Lifecycle = LifecycleMode.Immediate,
        });
        var service = _personalize.Personalize;
        var group = (await service.InvokeAsync("CreateDatasetGroup", new() { ["name"] = "pipeline-shop" }))["datasetGroupArn"]!.GetValue<string>();
        var schema = (await service.InvokeAsync("CreateSchema", new() { ["name"] = "pipeline-interactions", ["schema"] = InteractionsSchema }))["schemaArn"]!.GetValue<string>();
        await service.InvokeAsync("CreateDataset", new()
        {
            ["name"] = "pipeline-interactions", ["schemaArn"] = schema, ["datasetGroupArn"] = group, ["datasetType"] = "Interactions",
        });
        await service.WhenIdleAsync();
        _trackingId = (await service.InvokeAsync("CreateEventTracker", new() { ["name"] = "pipeline-tracker", ["datasetGroupArn"] = group }))["trackingId"]!.GetValue<string>();
        await service.WhenIdleAsync();

        _queueUrl = (await _sqs.CreateQueueAsync($"events-{Guid.NewGuid():N}")).QueueUrl;
        _bucket = $"data-{Guid.NewGuid():N}";
        await _s3.PutBucketAsync(_bucket);
        var tables = new DynamoDbTables { Events = $"events-{Guid.NewGuid():N}" };
        var dynamo = moto.DynamoDb();
        await DynamoDbSchema.CreateTablesAsync(dynamo, tables);
        _store = new DynamoDbEventStore(dynamo, tables, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _personalize.DisposeAsync();
        _sqs.Dispose();
        _s3.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private SqsEventsConsumer Consumer(string? bucket = null) => new(
    [
        new EventStoreStep(_store),
        new PersonalizeEventForwarder(new PersonalizeEventsClient(AwsServiceEndpoint.Resolve(
            PersonalizeEventsClient.EndpointPrefix, PersonalizeEventsClient.SigningName, _personalize.Endpoint.ToString(), MotoServer.Region,
            new BasicAWSCredentials("testing", "testing")).CreateHttpClient()), _trackingId),
        new S3EventArchive(_s3, bucket ?? _bucket),
    ]);

    private static InteractionEvent Event(string id, string user, int second, string? recommendationId = null) =>
        new(id, user, $"item-{id}", EventTypes.Click, null, $"session-{user}", recommendationId, Noon.AddSeconds(second));

    /// <summary>The rows PutEvents appended to the local Personalize's interactions dataset, header excluded.</summary>
    private string[] PersonalizeRows()
    {
        var folder = Path.Combine(_root, "personalize", "datasets");
        var file = Directory.Exists(folder) ? Directory.GetFiles(folder).SingleOrDefault(f => f.EndsWith("INTERACTIONS.csv", StringComparison.Ordinal)) : null;
        return file is null ? [] : [.. File.ReadAllLines(file).Skip(1)];
    }

    private async Task<List<S3Object>> ArchivedAsync() =>
        (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = S3EventArchive.DefaultPrefix })).S3Objects ?? [];

    private async Task<string> ReadAsync(string key)
    {
        using var response = await _s3.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private async Task<SqsLambdaEvent> SendAndReceiveAsync(params InteractionEvent[] events)
    {
        await new SqsEventProducer(_sqs, _queueUrl).SendAsync(events);
        var received = new List<Message>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (received.Count < events.Length && DateTime.UtcNow < deadline)
        {
            received.AddRange((await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 })).Messages ?? []);
        }
        Assert.Equal(events.Length, received.Count);
        return new SqsLambdaEvent([.. received.Select(m => new SqsLambdaMessage(m.MessageId, m.ReceiptHandle, m.Body))]);
    }

    [Fact]
    public async Task Consume_StoresForwardsToPersonalizeAndArchivesTheBatchAsOneImportableCsv()
    {
        InteractionEvent[] events = [Event("e1", "u1", 0), Event("e2", "u1", 1), Event("e3", "u2", 2)];
        var batch = await SendAndReceiveAsync(events);

        var response = await Consumer().HandleAsync(batch);

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(3, await _store.CountAsync());
        Assert.Equal(["u1,item-e1,1793534400,click,", "u1,item-e2,1793534401,click,", "u2,item-e3,1793534402,click,"], PersonalizeRows().Order());
        var archived = Assert.Single(await ArchivedAsync());
        Assert.Equal(S3EventArchive.KeyFor(events), archived.Key);
        Assert.StartsWith("events/2026/11/01/12/", archived.Key, StringComparison.Ordinal);
        Assert.Equal(S3EventArchive.ToCsv(events), await ReadAsync(archived.Key));
    }

    [Fact]
    public async Task Consume_WhenPersonalizeRejectsOneUsersCall_ReportsOnlyItsMessages_AndArchivesOnlyTheForwardedEvents()
    {
        // Personalize limits recommendationId to 40 characters: the call with u2's event is refused, u1's goes through.
        var rejected = Event("e2", "u2", 1, recommendationId: new string('r', 41));
        var batch = await SendAndReceiveAsync(Event("e1", "u1", 0), rejected);

        var response = await Consumer().HandleAsync(batch);

        var failed = Assert.Single(response.BatchItemFailures).ItemIdentifier;
        Assert.Contains("\"e2\"", batch.Records.Single(r => r.MessageId == failed).Body, StringComparison.Ordinal);
        Assert.Equal(["u1,item-e1,1793534400,click,"], PersonalizeRows());
        var archived = Assert.Single(await ArchivedAsync());
        Assert.Equal(S3EventArchive.ToCsv([Event("e1", "u1", 0)]), await ReadAsync(archived.Key));
        // Stored before forwarding; the redelivery finds it stored and retries only the later steps.
        Assert.Equal(2, await _store.CountAsync());
    }

    [Fact]
    public async Task Consume_ARedeliveredBatch_OverwritesItsArchiveObjectAndStoresEachEventOnce()
    {
        var batch = await SendAndReceiveAsync(Event("e1", "u1", 0), Event("e2", "u2", 1));
        var consumer = Consumer();

        var first = await consumer.HandleAsync(batch);
        var second = await consumer.HandleAsync(batch);

        Assert.Empty(first.BatchItemFailures);
        Assert.Empty(second.BatchItemFailures);
        Assert.Equal(2, await _store.CountAsync());
        Assert.Single(await ArchivedAsync());
    }

    [Fact]
    public async Task Consume_WhenTheArchiveBucketIsMissing_ReportsEveryMessage()
    {
        var batch = await SendAndReceiveAsync(Event("e1", "u1", 0), Event("e2", "u2", 1));

        var response = await Consumer(bucket: $"missing-{Guid.NewGuid():N}").HandleAsync(batch);

        Assert.Equal(batch.Records.Select(r => r.MessageId).Order(), response.BatchItemFailures.Select(f => f.ItemIdentifier).Order());
    }

    [Fact]
    public async Task Consume_TwoMessagesWithOneEventId_HandleItOnceAndAnswerForBoth()
    {
        var e = Event("e1", "u1", 0);
        var batch = await SendAndReceiveAsync(e, e);

        var response = await Consumer(bucket: $"missing-{Guid.NewGuid():N}").HandleAsync(batch);

        Assert.Equal(2, response.BatchItemFailures.Count);
        Assert.Single(PersonalizeRows());
        Assert.Equal(1, await _store.CountAsync());
    }
}
