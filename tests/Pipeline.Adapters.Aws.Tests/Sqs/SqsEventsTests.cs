using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Adapters.Aws.Sqs;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Aws.Tests.Sqs;

/// <summary>The producer, the batch consumer and SQS's redelivery and dead-letter queue, on moto_server.</summary>
[Collection(MotoCollection.Name)]
public sealed class SqsEventsTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly IAmazonSQS _sqs = moto.Sqs();
    private string _queueUrl = "";
    private string _deadLetterUrl = "";

    public async Task InitializeAsync()
    {
        var name = $"events-{Guid.NewGuid():N}";
        _deadLetterUrl = (await _sqs.CreateQueueAsync($"{name}-dlq")).QueueUrl;
        var deadLetterArn = (await _sqs.GetQueueAttributesAsync(_deadLetterUrl, ["QueueArn"])).QueueARN;
        _queueUrl = (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new()
            {
                ["VisibilityTimeout"] = "1",
                ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{deadLetterArn}}","maxReceiveCount":"2"}""",
            },
        })).QueueUrl;
    }

    public Task DisposeAsync()
    {
        _sqs.Dispose();
        return Task.CompletedTask;
    }

    private static InteractionEvent Event(int i) =>
        new($"e{i}", "u1", $"i{i}", EventTypes.Click, i % 2 == 0 ? null : i, "s1", i % 3 == 0 ? null : "rec-1", Noon.AddSeconds(i));

    [Fact]
    public async Task Send_PutsEveryEventOnTheQueueAsOneJsonMessage()
    {
        var events = Enumerable.Range(0, 23).Select(Event).ToList();

        await new SqsEventProducer(_sqs, _queueUrl).SendAsync(events);

        var received = await ReceiveAsync(_queueUrl, 23);
        var bodies = received.Select(m => JsonSerializer.Deserialize(m.Body, SqsJsonContext.Default.InteractionEvent)!);
        Assert.Equal(events.OrderBy(e => e.EventId), bodies.OrderBy(e => e.EventId));
    }

    [Fact]
    public async Task Consume_StoresTheEventsAndReportsOnlyTheUnreadableMessage()
    {
        var store = await NewEventStoreAsync();
        await new SqsEventProducer(_sqs, _queueUrl).SendAsync([Event(1), Event(2)]);
        await _sqs.SendMessageAsync(_queueUrl, "not an event");
        var batch = ToLambdaEvent(await ReceiveAsync(_queueUrl, 3));

        var response = await new SqsEventsConsumer(store).HandleAsync(batch);

        var poison = batch.Records.Single(r => r.Body == "not an event").MessageId;
        Assert.Equal([new SqsBatchItemFailure(poison)], response.BatchItemFailures);
        Assert.Equal(2, await store.CountAsync());
    }

    [Fact]
    public async Task Consume_WhenTheStoreFails_ReportsEveryMessageOfTheBatch()
    {
        await new SqsEventProducer(_sqs, _queueUrl).SendAsync([Event(1), Event(2)]);
        var batch = ToLambdaEvent(await ReceiveAsync(_queueUrl, 2));
        // A table that does not exist: every write fails, as during an outage or a missing permission.
        using var dynamo = moto.DynamoDb();
        var missing = new DynamoDbEventStore(dynamo, new DynamoDbTables { Events = "no-such-table" }, TimeProvider.System);

        var response = await new SqsEventsConsumer(missing).HandleAsync(batch);

        Assert.Equal(batch.Records.Select(r => r.MessageId).Order(), response.BatchItemFailures.Select(f => f.ItemIdentifier).Order());
    }

    [Fact]
    public void BatchResponse_SerializesToLambdasPartialBatchFailureShape()
    {
        var json = JsonSerializer.Serialize(new SqsBatchResponse([new SqsBatchItemFailure("m-1")]), SqsJsonContext.Default.SqsBatchResponse);

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"m-1"}]}""", json);
    }

    [Fact]
    public void LambdaEvent_ParsesTheEventSourceMappingPayload()
    {
        const string payload = """
            {"Records":[{"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
              "body":"test","attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183"},"messageAttributes":{},
              "md5OfBody":"098f6bcd4621d373cade4e832627b4f6","eventSource":"aws:sqs",
              "eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:my-queue","awsRegion":"us-east-2"}]}
            """;

        var batch = JsonSerializer.Deserialize(payload, SqsJsonContext.Default.SqsLambdaEvent)!;

        var message = Assert.Single(batch.Records);
        Assert.Equal("059f36b4-87a3-44ab-83d2-661975830a7d", message.MessageId);
        Assert.Equal("test", message.Body);
        Assert.Equal("1", message.Attributes!["ApproximateReceiveCount"]);
        Assert.Equal("arn:aws:sqs:us-east-2:123456789012:my-queue", message.EventSourceArn);
    }

    [Fact]
    public async Task ReportedFailure_IsRedeliveredThenDeadLettered_WhileHandledMessagesAreDeleted()
    {
        var store = await NewEventStoreAsync();
        var consumer = new SqsEventsConsumer(store);
        await new SqsEventProducer(_sqs, _queueUrl).SendAsync([Event(1)]);
        await _sqs.SendMessageAsync(_queueUrl, "{}");

        // What Lambda's event source mapping does: receive, invoke, delete what the function did not report.
        var rounds = 0;
        for (; rounds < 5; rounds++)
        {
            var messages = await ReceiveAsync(_queueUrl, 1, wait: TimeSpan.FromSeconds(3), allowFewer: true);
            if (messages.Count == 0)
            {
                break;
            }
            var response = await consumer.HandleAsync(ToLambdaEvent(messages));
            var failed = response.BatchItemFailures.Select(f => f.ItemIdentifier).ToHashSet();
            foreach (var handled in messages.Where(m => !failed.Contains(m.MessageId)))
            {
                await _sqs.DeleteMessageAsync(_queueUrl, handled.ReceiptHandle);
            }
        }

        // Received twice (maxReceiveCount 2), then moved on the third receive.
        Assert.Equal(2, rounds);
        Assert.Equal(1, await store.CountAsync());
        var dead = Assert.Single(await ReceiveAsync(_deadLetterUrl, 1, wait: TimeSpan.FromSeconds(3)));
        Assert.Equal("{}", dead.Body);
    }

    private async Task<DynamoDbEventStore> NewEventStoreAsync()
    {
        var tables = new DynamoDbTables { Events = $"events-{Guid.NewGuid():N}" };
        var dynamo = moto.DynamoDb();
        await DynamoDbSchema.CreateTablesAsync(dynamo, tables);
        return new DynamoDbEventStore(dynamo, tables, TimeProvider.System);
    }

    private static SqsLambdaEvent ToLambdaEvent(IEnumerable<Message> messages) =>
        new([.. messages.Select(m => new SqsLambdaMessage(m.MessageId, m.ReceiptHandle, m.Body))]);

    private async Task<List<Message>> ReceiveAsync(string queueUrl, int count, TimeSpan? wait = null, bool allowFewer = false)
    {
        var received = new List<Message>();
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
            });
            received.AddRange(response.Messages ?? []);
            if (allowFewer && received.Count > 0)
            {
                break;
            }
        }
        Assert.True(allowFewer || received.Count == count, $"received {received.Count} of {count} messages");
        return received;
    }
}
