using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Pipeline.Cli.Rehearsal;
using Pipeline.Infra.Tests.Moto;

namespace Pipeline.Infra.Tests;

/// <summary>
/// The deployed events path on moto_server: the stacks created by CloudFormation, the API and the consumer run as the
/// published app's processes with the environment their Lambda functions were deployed with, and Lambda's SQS event
/// source mapping emulated by <see cref="SqsEventSourceEmulator"/> (Lambda itself cannot run here).
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class EventsConsumerOnMotoTests(SynthFixture synth, MotoDeployment moto) : IClassFixture<MotoDeployment>
{
    private async Task<(MotoDeployment.Deployed Deployed, Dictionary<string, string> Environment)> FunctionAsync(string logicalIdPrefix)
    {
        var deployed = await moto.DeployAsync(synth);
        var id = deployed.Service.PhysicalIds.Keys.Single(k => k.StartsWith(logicalIdPrefix, StringComparison.Ordinal)
            && (string?)deployed.Service.Template["Resources"]![k]!["Type"] == "AWS::Lambda::Function");
        var configuration = await moto.Cli.RunAsync("lambda", "get-function-configuration", "--function-name", deployed.Service.PhysicalIds[id]);
        var variables = configuration!["Environment"]!["Variables"]!.AsObject();
        return (deployed, variables.ToDictionary(v => v.Key, v => (string)v.Value!));
    }

    /// <summary>The function's deployed environment plus moto's endpoint, region and dummy keys.</summary>
    private Dictionary<string, string> OnMoto(Dictionary<string, string> environment)
    {
        var merged = new Dictionary<string, string>(environment);
        foreach (var (name, value) in new MotoAws(moto.Endpoint).Environment) merged[name] = value;
        return merged;
    }

    private string QueueUrl(MotoDeployment.Deployed deployed, string prefix) =>
        deployed.Service.PhysicalIds.Single(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)
            && (string?)deployed.Service.Template["Resources"]![p.Key]!["Type"] == "AWS::SQS::Queue").Value;

    private IAmazonSQS Sqs() => new AmazonSQSClient(MotoServer.Credentials, new AmazonSQSConfig
    {
        ServiceURL = moto.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
    });

    [Fact]
    public async Task AcceptedEvents_WhoseStoreStepThrows_StayQueuedThenAllReachTheDlqAfterFiveReceives()
    {
        var (deployed, apiEnvironment) = await FunctionAsync("ApiFunction");
        var (_, consumerEnvironment) = await FunctionAsync("EventsConsumer");
        using var sqs = Sqs();
        var queueUrl = QueueUrl(deployed, "EventsQueue");
        var dlqUrl = QueueUrl(deployed, "EventsDeadLetterQueue");
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var eventIds = Enumerable.Range(0, 10).Select(i => $"lost-{i}").ToList();
        // moto's own event source mapping would receive the messages once (and fail: it has no Lambda runtime without
        // Docker); the emulator is the only poller.
        var functionName = (string)(await moto.Cli.RunAsync("lambda", "get-function-configuration", "--function-name",
            deployed.Service.PhysicalIds.Single(p => p.Key.StartsWith("EventsConsumer", StringComparison.Ordinal)
                && (string?)deployed.Service.Template["Resources"]![p.Key]!["Type"] == "AWS::Lambda::Function").Value))!["FunctionName"]!;
        foreach (var mapping in (await moto.Cli.RunAsync("lambda", "list-event-source-mappings", "--function-name", functionName))!["EventSourceMappings"]!.AsArray())
        {
            await moto.Cli.RunAsync("lambda", "update-event-source-mapping", "--uuid", (string)mapping!["UUID"]!, "--no-enabled");
        }

        // Ten events acknowledged by the API function (202: durable in the queue).
        await using (var api = await FunctionProcess.StartAsync(OnMoto(apiEnvironment), CancellationToken.None))
        {
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            var events = string.Join(",", eventIds.Select(id => $$"""{"event_id":"{{id}}","user_id":"u1","item_id":"i1","session_id":"s1","event_type":"click"}"""));
            using var accepted = await http.PostAsync("/events", new StringContent($$"""{"events":[{{events}}]}""", Encoding.UTF8, "application/json"));
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync() + api.Tail);
        }
        // The store step's table is gone: every append throws (ResourceNotFoundException).
        await moto.Cli.RunAsync("dynamodb", "delete-table", "--table-name", consumerEnvironment["PIPELINE_EVENTS_TABLE"]);
        await using var consumer = await FunctionProcess.StartAsync(OnMoto(consumerEnvironment), CancellationToken.None);
        var lambda = new SqsEventSourceEmulator(sqs, queueUrl, queueArn, consumer.BaseAddress, consumerEnvironment);

        await lambda.DrainAsync();

        Assert.Equal(0, lambda.Deleted);
        // One batch of ten, received five times (the redrive policy's maxReceiveCount), failed every time.
        Assert.Equal(5, lambda.Invocations);
        Assert.Equal(5, lambda.FailedInvocations);
        var dead = new List<string>();
        for (var attempt = 0; attempt < 5 && dead.Count < eventIds.Count; attempt++)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = dlqUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            dead.AddRange((received.Messages ?? []).Select(m => (string)JsonNode.Parse(m.Body)!["eventId"]!));
        }
        Assert.Equal(eventIds, dead.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnreadableBatch_AnswersAStatusTheDeployedWebAdapterTurnsIntoAFailedInvocation()
    {
        var (_, environment) = await FunctionAsync("EventsConsumer");
        await using var consumer = await FunctionProcess.StartAsync(OnMoto(environment), CancellationToken.None);
        using var http = new HttpClient { BaseAddress = consumer.BaseAddress };

        using var response = await http.PostAsync(environment["AWS_LWA_PASS_THROUGH_PATH"], new StringContent("{\"Records\":", Encoding.UTF8, "application/json"));

        Assert.Contains((int)response.StatusCode, SqsEventSourceEmulator.ParseStatusCodes(environment["AWS_LWA_ERROR_STATUS_CODES"]));
    }
}
