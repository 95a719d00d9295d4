using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Adapters.Aws.S3;
using Pipeline.Api.Functions;
using Pipeline.Domain.Training;
using Pipeline.Engine.InHouse;
using Pipeline.Personalize.Local;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// The training workflow as `cdk synth` wrote it (the golden <c>training.asl.json</c>, read, not synthesized: the CLI
/// carries no CDK) on the States Language interpreter: its Personalize tasks go to the local Personalize, its
/// DynamoDB, EventBridge and SNS tasks to moto_server, the metric gate and the in-house trainer run the functions' own
/// handler classes, the trainer writing to the data bucket on moto's S3 that the API reads.
/// </summary>
public sealed partial class RehearsalTraining(MotoAws moto, MotoResources deployment, LocalPersonalize personalize)
{
    public const string StateMachineName = "pipeline-training";

    /// <summary>The synthesized definition with the deployment's physical names where CloudFormation would put them.</summary>
    public string Definition() => PersonalizeRole().Replace(AlertTopic().Replace(ExperimentsTable().Replace(TrainingDefinition.Json,
        deployment.Tables.Experiments!), deployment.TopicArn), $"arn:aws:iam::{MotoServerProcess.Account}:role/{MotoResources.Prefix}-personalize");

    public async Task<Execution> RunAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var trainer = new InHouseTrainingHandler(new S3ObjectStore(moto.Clients.S3()), new InHouseModelsOptions { Bucket = deployment.Bucket }, TimeProvider.System);
        var tasks = LocalTaskInvokers.Create(personalize, new SnsAlerts(moto), DynamoDbAsync, PutEventsAsync, inHouseTrainer: new InHouseTrainerFunction(trainer).HandleJsonAsync,
            metricGate: new MetricGateFunction(new PromotionRule()).HandleJsonAsync);
        var runner = new StateMachineRunner(tasks, new StateMachineRunnerOptions
        {
            WaitScale = 0.001, // the workflow's polling waits, shortened: the local Personalize finishes at once
            StateMachineName = StateMachineName,
            AccountId = MotoServerProcess.Account,
            Region = MotoServerProcess.Region,
        });
        return await runner.RunAsync(Definition(), input.ToJsonString(), LocalExecutionStore.NewExecutionName(), cancellationToken);
    }

    /// <summary>dynamodb:getItem / updateItem: the task's parameters are DynamoDB's own request, sent as is.</summary>
    private Task<JsonNode?> DynamoDbAsync(string action, JsonNode? parameters, CancellationToken cancellationToken) =>
        moto.JsonAsync("dynamodb", "DynamoDB_20120810." + AwsSdkNames.ToPascal(action), "application/x-amz-json-1.0", parameters ?? new JsonObject(), "DynamoDB", cancellationToken);

    /// <summary>events:putEvents: a JSON Detail is sent as its text, and an entry EventBridge refuses fails the task (EventBridge.FailedEntry).</summary>
    private async Task PutEventsAsync(JsonNode? parameters, CancellationToken cancellationToken)
    {
        var entries = new JsonArray([.. (parameters?["Entries"]?.AsArray() ?? []).Select(e =>
        {
            var entry = e!.DeepClone().AsObject();
            if (entry["Detail"] is JsonObject detail) entry["Detail"] = detail.ToJsonString();
            return (JsonNode)entry;
        })]);
        var result = await moto.EventBridgeAsync("PutEvents", new JsonObject { ["Entries"] = entries }, cancellationToken);
        if ((int?)result?["FailedEntryCount"] is > 0)
            throw new TaskFailedException("EventBridge.FailedEntry", result!["Entries"]!.ToJsonString());
    }

    /// <summary>sns:publish to the alert topic on moto.</summary>
    private sealed class SnsAlerts(MotoAws moto) : IAlertSink
    {
        public Task PublishAsync(Alert alert, CancellationToken cancellationToken) => moto.SnsAsync("Publish",
            [new("TopicArn", alert.TopicArn ?? ""), new("Message", alert.Message), .. alert.Subject is null ? [] : new[] { KeyValuePair.Create("Subject", alert.Subject) }],
            cancellationToken);
    }

    [GeneratedRegex(@"\$\{Import:[^:}]+:ExportsOutputRefExperiments[0-9A-F]+\}")]
    private static partial Regex ExperimentsTable();

    [GeneratedRegex(@"\$\{Ref:AlertTopic[0-9A-F]+\}")]
    private static partial Regex AlertTopic();

    [GeneratedRegex(@"\$\{Import:[^:}]+:ExportsOutputFnGetAttPersonalizeRole[0-9A-Za-z]+\}")]
    private static partial Regex PersonalizeRole();
}
