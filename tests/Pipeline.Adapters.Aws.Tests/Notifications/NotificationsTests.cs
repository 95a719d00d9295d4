using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.Notifications;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Tests.Notifications;

/// <summary>
/// SNS and EventBridge publishing through the signed clients, on moto_server, checked where the message lands:
/// an SQS queue subscribed to the topic, or targeted by a rule.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class NotificationsTests(MotoServer moto) : IDisposable
{
    private readonly IAmazonSQS _sqs = moto.Sqs();

    public void Dispose() => _sqs.Dispose();

    private HttpClient Signed(string service) =>
        AwsServiceEndpoint.Resolve(service, service, moto.Endpoint.ToString(), MotoServer.Region, MotoServer.Credentials).CreateHttpClient();

    [Fact]
    public async Task SnsPublish_DeliversTheMessageAndSubjectToSubscribers()
    {
        var sns = new SnsPublisher(Signed("sns"));
        var topicArn = (await sns.CallAsync("CreateTopic", [new("Name", $"alerts-{Guid.NewGuid():N}")], default))
            .Descendants().Single(e => e.Name.LocalName == "TopicArn").Value;
        var (queueUrl, queueArn) = await NewQueueAsync();
        await sns.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", queueArn)], default);

        var messageId = await sns.PublishAsync(topicArn, "training FAILED for pipeline-sims", "Pipeline alert");

        Assert.False(string.IsNullOrEmpty(messageId));
        using var envelope = JsonDocument.Parse(await ReceiveOneAsync(queueUrl));
        Assert.Equal("training FAILED for pipeline-sims", envelope.RootElement.GetProperty("Message").GetString());
        Assert.Equal("Pipeline alert", envelope.RootElement.GetProperty("Subject").GetString());
        Assert.Equal(messageId, envelope.RootElement.GetProperty("MessageId").GetString());
    }

    [Fact]
    public async Task SnsPublish_ToAnUnknownTopic_ThrowsWithSnsErrorCode()
    {
        var sns = new SnsPublisher(Signed("sns"));

        var error = await Assert.ThrowsAsync<Http.AwsApiException>(() =>
            sns.PublishAsync("arn:aws:sns:us-east-1:123456789012:no-such-topic", "hello"));

        Assert.Equal("NotFound", error.ErrorCode);
    }

    [Fact]
    public async Task EventBridgePutEvents_ReturnsIdsAndRoutesMatchingEventsToRuleTargets()
    {
        var http = Signed("events");
        var (queueUrl, queueArn) = await NewQueueAsync();
        var source = $"pipeline.test.{Guid.NewGuid():N}";
        await Json11Async(http, "PutRule", $$"""{"Name":"r-{{source[14..30]}}","EventPattern":"{\"source\":[\"{{source}}\"]}","State":"ENABLED"}""");
        await Json11Async(http, "PutTargets", $$"""{"Rule":"r-{{source[14..30]}}","Targets":[{"Id":"queue","Arn":"{{queueArn}}"}]}""");

        var ids = await new EventBridgePublisher(http).PutEventsAsync(
            [new EventBridgeEntry(source, "Training Succeeded", """{"recipe":"aws-sims","ndcgAt10":0.31}""")]);

        Assert.False(string.IsNullOrEmpty(Assert.Single(ids)));
        using var delivered = JsonDocument.Parse(await ReceiveOneAsync(queueUrl));
        Assert.Equal(source, delivered.RootElement.GetProperty("source").GetString());
        Assert.Equal("Training Succeeded", delivered.RootElement.GetProperty("detail-type").GetString());
        Assert.Equal("aws-sims", delivered.RootElement.GetProperty("detail").GetProperty("recipe").GetString());
    }

    private static async Task Json11Async(HttpClient http, string operation, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSEvents.{operation}");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Url, string Arn)> NewQueueAsync()
    {
        var url = (await _sqs.CreateQueueAsync($"sink-{Guid.NewGuid():N}")).QueueUrl;
        return (url, (await _sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN);
    }

    private async Task<string> ReceiveOneAsync(string queueUrl)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 1 });
            if (response.Messages is [var message, ..])
            {
                return message.Body;
            }
        }
        throw new Xunit.Sdk.XunitException("Nothing was delivered to the queue.");
    }
}
