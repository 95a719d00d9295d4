using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Moto;

namespace Pipeline.Infra.Tests;

/// <summary>
/// Smoke test of the synthesized templates in moto_server's CloudFormation, created and inspected with the real AWS
/// CLI (see <see cref="MotoDeployment"/>). moto cannot create some types (<see cref="MotoTemplate.UnsupportedTypes"/>):
/// those are left out and everything else must be created. moto also drops some properties of the types it does
/// create (DynamoDB point-in-time recovery and TTL, S3 versioning, public access block and lifecycle rules, Lambda
/// layers): the synth assertion tests cover those, these tests assert what moto really builds.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class CloudFormationOnMotoTests(SynthFixture synth, MotoDeployment moto) : IClassFixture<MotoDeployment>
{
    private static IEnumerable<(string Id, JsonObject Resource)> OfType(MotoDeployment.DeployedStack stack, string type) =>
        stack.Template["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    [Fact]
    public async Task DataThenServiceStack_ReachCreateCompleteWithEverySupportedResourceCreated()
    {
        var deployed = await moto.DeployAsync(synth);

        foreach (var (stack, synthesized) in new[] { (deployed.Data, synth.DataJson), (deployed.Service, synth.ServiceJson) })
        {
            Assert.Equal("CREATE_COMPLETE", stack.Status);
            var expected = synthesized["Resources"]!.AsObject().Select(r => r.Key).Except(stack.Removed.Select(r => r.LogicalId)).Order();
            Assert.Equal(expected, stack.ResourceStatuses.Keys.Order());
            Assert.All(stack.ResourceStatuses, r => Assert.Equal("CREATE_COMPLETE", r.Value));
            Assert.All(stack.Removed, r => Assert.Contains(r.Type, MotoTemplate.UnsupportedTypes));
        }
        // Only the types moto has no model for are left out: the core of the system is created.
        Assert.DoesNotContain(deployed.Data.Removed, r => r.Type is "AWS::DynamoDB::Table" or "AWS::S3::Bucket" or "AWS::IAM::Role");
    }

    [Fact]
    public async Task Tables_ExistWithTheSynthesizedKeysAndOnDemandBilling()
    {
        var deployed = await moto.DeployAsync(synth);

        var tables = OfType(deployed.Data, "AWS::DynamoDB::Table").ToList();
        Assert.Equal(7, tables.Count);
        foreach (var (id, resource) in tables)
        {
            var described = (await moto.Cli.RunAsync("dynamodb", "describe-table", "--table-name", deployed.Data.PhysicalIds[id]))!["Table"]!;
            var keys = described["KeySchema"]!.AsArray().Select(k => ((string?)k!["AttributeName"], (string?)k["KeyType"]));
            var synthesizedKeys = resource["Properties"]!["KeySchema"]!.AsArray().Select(k => ((string?)k!["AttributeName"], (string?)k["KeyType"]));
            Assert.Equal(synthesizedKeys, keys);
            Assert.Equal("PAY_PER_REQUEST", (string?)described["BillingModeSummary"]!["BillingMode"]);
            var indexes = resource["Properties"]!["GlobalSecondaryIndexes"]?.AsArray().Select(i => (string?)i!["IndexName"]) ?? [];
            Assert.Equal(indexes, described["GlobalSecondaryIndexes"]?.AsArray().Select(i => (string?)i!["IndexName"]) ?? []);
        }
    }

    [Fact]
    public async Task DataBucket_ExistsWithS3ManagedEncryption()
    {
        var deployed = await moto.DeployAsync(synth);
        var (id, _) = Assert.Single(OfType(deployed.Data, "AWS::S3::Bucket"));

        var encryption = await moto.Cli.RunAsync("s3api", "get-bucket-encryption", "--bucket", deployed.Data.PhysicalIds[id]);

        var rule = encryption!["ServerSideEncryptionConfiguration"]!["Rules"]![0]!;
        Assert.Equal("AES256", (string?)rule["ApplyServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
    }

    [Fact]
    public async Task EventsQueue_RedrivesToItsDeadLetterQueueAfterFiveReceives()
    {
        var deployed = await moto.DeployAsync(synth);
        var queues = OfType(deployed.Service, "AWS::SQS::Queue").ToDictionary(q => q.Id, q => deployed.Service.PhysicalIds[q.Id]);
        var dlqUrl = queues.Single(q => q.Key.StartsWith("EventsDeadLetterQueue", StringComparison.Ordinal)).Value;
        var queueUrl = queues.Single(q => q.Key.StartsWith("EventsQueue", StringComparison.Ordinal)).Value;

        var attributes = (await moto.Cli.RunAsync("sqs", "get-queue-attributes", "--queue-url", queueUrl, "--attribute-names", "All"))!["Attributes"]!;
        var dlqArn = (string?)(await moto.Cli.RunAsync("sqs", "get-queue-attributes", "--queue-url", dlqUrl, "--attribute-names", "QueueArn"))!["Attributes"]!["QueueArn"];

        var redrive = JsonNode.Parse((string)attributes["RedrivePolicy"]!)!;
        Assert.Equal(dlqArn, (string?)redrive["deadLetterTargetArn"]);
        Assert.Equal(5, int.Parse(redrive["maxReceiveCount"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("360", (string?)attributes["VisibilityTimeout"]);
        Assert.Equal("true", (string?)attributes["SqsManagedSseEnabled"]);
    }

    [Fact]
    public async Task AlertTopicAndTrainingStateMachine_ExistUnderTheOutputArns()
    {
        var deployed = await moto.DeployAsync(synth);

        var topic = await moto.Cli.RunAsync("sns", "get-topic-attributes", "--topic-arn", deployed.Service.Outputs["AlertTopicArn"]);
        var machine = await moto.Cli.RunAsync("stepfunctions", "describe-state-machine", "--state-machine-arn", deployed.Service.Outputs["TrainingStateMachineArn"]);

        Assert.Equal("pipeline alerts", (string?)topic!["Attributes"]!["DisplayName"]);
        Assert.Equal("STANDARD", (string?)machine!["type"]);
        // The definition CloudFormation assembled (Fn::Join over the imported table and topic) is the golden ASL's machine.
        var definition = JsonNode.Parse((string)machine["definition"]!)!;
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(synth.RepoRoot, "workflows/Pipeline.Workflows.Definitions/training.asl.json")))!;
        Assert.Equal((string?)golden["StartAt"], (string?)definition["StartAt"]);
        Assert.Equal(golden["States"]!.AsObject().Select(s => s.Key).Order(), definition["States"]!.AsObject().Select(s => s.Key).Order());
        var roleName = ((string)machine["roleArn"]!).Split('/')[^1];
        Assert.NotNull(await moto.Cli.RunAsync("iam", "get-role", "--role-name", roleName));
    }

    [Fact]
    public async Task RetrainingBanditUpdateAndFailureAlertRules_ExistWithTheirScheduleAndPattern()
    {
        var deployed = await moto.DeployAsync(synth);

        var rules = (await moto.Cli.RunAsync("events", "list-rules"))!["Rules"]!.AsArray();

        var schedule = Assert.Single(rules, r => ((string?)r!["ScheduleExpression"])?.StartsWith("cron(", StringComparison.Ordinal) == true)!;
        Assert.Equal("cron(0 3 * * ? *)", (string?)schedule["ScheduleExpression"]);
        Assert.Equal("ENABLED", (string?)schedule["State"]);
        var targets = (await moto.Cli.RunAsync("events", "list-targets-by-rule", "--rule", (string)schedule["Name"]!))!["Targets"]!.AsArray();
        Assert.Equal(deployed.Service.Outputs["TrainingStateMachineArn"], (string?)Assert.Single(targets)!["Arn"]);

        // The bandit updater's rule runs every BanditUpdateSchedule and targets its function.
        var bandits = Assert.Single(rules, r => (string?)r!["ScheduleExpression"] == BanditUpdaterConstruct.BanditUpdateSchedule)!;
        Assert.Equal("ENABLED", (string?)bandits["State"]);
        var banditTargets = (await moto.Cli.RunAsync("events", "list-targets-by-rule", "--rule", (string)bandits["Name"]!))!["Targets"]!.AsArray();
        Assert.Contains(":function:", (string?)Assert.Single(banditTargets)!["Arn"], StringComparison.Ordinal);

        var failure = Assert.Single(rules, r => r!["EventPattern"] is not null)!;
        var pattern = JsonNode.Parse((string)failure["EventPattern"]!)!;
        Assert.Equal(["FAILED", "TIMED_OUT", "ABORTED"], pattern["detail"]!["status"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(deployed.Service.Outputs["TrainingStateMachineArn"], (string?)pattern["detail"]!["stateMachineArn"]![0]);
    }

    [Fact]
    public async Task Lambdas_GetTheImportedDataStackNamesAndTheConsumerReportsBatchItemFailures()
    {
        var deployed = await moto.DeployAsync(synth);
        var consumerId = OfType(deployed.Service, "AWS::Lambda::Function").Single(f => f.Id.StartsWith("EventsConsumer", StringComparison.Ordinal)).Id;
        var eventsTableId = OfType(deployed.Data, "AWS::DynamoDB::Table").Single(t => t.Id.StartsWith("Events", StringComparison.Ordinal)).Id;
        var bucketId = Assert.Single(OfType(deployed.Data, "AWS::S3::Bucket")).Id;

        var consumer = await moto.Cli.RunAsync("lambda", "get-function-configuration", "--function-name", deployed.Service.PhysicalIds[consumerId]);
        var mappings = (await moto.Cli.RunAsync("lambda", "list-event-source-mappings", "--function-name", deployed.Service.PhysicalIds[consumerId]))!["EventSourceMappings"]!;

        // Fn::ImportValue of the data stack's exports resolved to the real names.
        var environment = consumer!["Environment"]!["Variables"]!;
        Assert.Equal(deployed.Data.PhysicalIds[eventsTableId], (string?)environment["PIPELINE_EVENTS_TABLE"]);
        Assert.Equal(deployed.Data.PhysicalIds[bucketId], (string?)environment["PIPELINE_DATA_BUCKET"]);
        Assert.Equal("provided.al2023", (string?)consumer["Runtime"]);
        var mapping = Assert.Single(mappings.AsArray())!;
        Assert.Equal(["ReportBatchItemFailures"], mapping["FunctionResponseTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(10, (int)mapping["BatchSize"]!);
    }
}
