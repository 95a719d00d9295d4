using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Amazon.SQS.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.DeploymentContract;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// The resources the data and service stacks create, made directly in moto_server (the CLI carries no CDK): the
/// DynamoDB tables, the data bucket, the events queue, the alert topic, and on the default event bus a rule that
/// forwards <c>ModelPromoted</c> to a queue the rehearsal reads (a subscriber standing in for whatever listens on AWS).
/// </summary>
public sealed record MotoResources(DynamoDbTables Tables, string Bucket, string EventsQueueUrl, string EventsQueueArn, string TopicArn, string PromotionsQueueUrl)
{
    public const string Prefix = "pipeline";
    public const string PromotionsRule = "pipeline-model-promoted";

    public static async Task<MotoResources> CreateAsync(MotoAws moto, CancellationToken cancellationToken)
    {
        var clients = moto.Clients;
        var tables = new DynamoDbTables
        {
            Experiments = $"{Prefix}-Experiments", Assignments = $"{Prefix}-Assignments", Exposures = $"{Prefix}-Exposures",
            Items = $"{Prefix}-Items", Users = $"{Prefix}-Users", Events = $"{Prefix}-Events", Aggregates = $"{Prefix}-Aggregates",
        };
        using (var dynamo = clients.DynamoDb()) await DynamoDbSchema.CreateTablesAsync(dynamo, tables, cancellationToken);
        var bucket = $"{Prefix}-data";
        using (var s3 = clients.S3()) await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);

        using var sqs = clients.Sqs();
        var (eventsUrl, eventsArn) = await QueueAsync(sqs, $"{Prefix}-events", cancellationToken);
        var (promotionsUrl, promotionsArn) = await QueueAsync(sqs, $"{Prefix}-promotions", cancellationToken);

        var topic = await moto.SnsAsync("CreateTopic", [new("Name", $"{Prefix}-alerts")], cancellationToken);
        var topicArn = topic.Descendants().First(e => e.Name.LocalName == "TopicArn").Value;

        await moto.EventBridgeAsync("PutRule", new JsonObject
        {
            ["Name"] = PromotionsRule,
            ["EventPattern"] = """{"source":["pipeline.training"],"detail-type":["ModelPromoted"]}""",
        }, cancellationToken);
        await moto.EventBridgeAsync("PutTargets", new JsonObject
        {
            ["Rule"] = PromotionsRule,
            ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "promotions-queue", ["Arn"] = promotionsArn }),
        }, cancellationToken);
        return new MotoResources(tables, bucket, eventsUrl, eventsArn, topicArn, promotionsUrl);
    }

    private static async Task<(string Url, string Arn)> QueueAsync(Amazon.SQS.IAmazonSQS sqs, string name, CancellationToken cancellationToken)
    {
        var url = (await sqs.CreateQueueAsync(name, cancellationToken)).QueueUrl;
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] }, cancellationToken);
        return (url, attributes.QueueARN);
    }

    /// <summary>The API function's environment (ApiConstruct), minus the Web Adapter's.</summary>
    public Dictionary<string, string> ApiEnvironment() => new()
    {
        [EnvironmentVariables.Mode] = PipelineModes.Aws,
        [EnvironmentVariables.Role] = PipelineRoles.Api,
        [EnvironmentVariables.ExperimentsTable] = Tables.Experiments!,
        [EnvironmentVariables.AssignmentsTable] = Tables.Assignments!,
        [EnvironmentVariables.ItemsTable] = Tables.Items!,
        [EnvironmentVariables.UsersTable] = Tables.Users!,
        [EnvironmentVariables.AggregatesTable] = Tables.Aggregates!,
        [EnvironmentVariables.EventsTable] = Tables.Events!,
        [EnvironmentVariables.DataBucket] = Bucket,
        [EnvironmentVariables.EventsQueueUrl] = EventsQueueUrl,
    };

    /// <summary>The events consumer function's environment (EventsConstruct.AddConsumer).</summary>
    public Dictionary<string, string> ConsumerEnvironment(string passThroughPath) => new()
    {
        [EnvironmentVariables.Mode] = PipelineModes.Aws,
        [EnvironmentVariables.Role] = PipelineRoles.EventsConsumer,
        [EnvironmentVariables.PassThroughPath] = passThroughPath,
        [EnvironmentVariables.ErrorStatusCodes] = WebAdapter.FailingStatusCodes,
        [EnvironmentVariables.EventsTable] = Tables.Events!,
        [EnvironmentVariables.AggregatesTable] = Tables.Aggregates!,
        [EnvironmentVariables.ExposuresTable] = Tables.Exposures!,
        [EnvironmentVariables.DataBucket] = Bucket,
    };
}
