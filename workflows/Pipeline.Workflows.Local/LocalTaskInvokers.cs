using System.Text.Json.Nodes;
using Pipeline.Domain.Training.OnlineGate;
using Pipeline.Engine.InHouse;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Errors;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Local;

/// <summary>A DynamoDB optimized integration (getItem, putItem, updateItem) as the caller's store implements it.</summary>
public delegate Task<JsonNode?> DynamoDbHandler(string action, JsonNode? parameters, CancellationToken cancellationToken);

/// <summary>The RUNNING executions of a state machine (by its ARN), with their start times, as ListExecutions sees them.</summary>
public delegate IReadOnlyList<(string ExecutionArn, DateTimeOffset StartDate)> RunningExecutions(string stateMachineArn);

/// <summary>An EventBridge putEvents call (its Entries) as the caller wants it recorded.</summary>
public delegate Task EventBridgeHandler(JsonNode? parameters, CancellationToken cancellationToken);

/// <summary>A Lambda function's invoke as the function's own handler answers it: the payload in, the result out.</summary>
public delegate Task<JsonObject> LambdaFunctionHandler(JsonNode? payload, CancellationToken cancellationToken);

/// <summary>
/// The task integrations the synthesized workflows use, wired to local stand-ins:
/// <c>aws-sdk:personalize:*</c> → <see cref="LocalPersonalize"/> (PascalCase ↔ camelCase, PersonalizeException →
/// <c>Personalize.{ErrorType}</c>), <c>sns:publish</c> → an <see cref="IAlertSink"/>, <c>dynamodb:getItem|putItem|updateItem</c>
/// and <c>events:putEvents</c> → handlers the caller supplies (events without a handler are accepted and dropped),
/// <c>lambda:invoke</c> of the training machine's metric gate, in-house trainer and online gate → the handlers the caller
/// supplies (the classes the AWS functions run, from Pipeline.Api: the in-house trainer on one machine over
/// <see cref="LocalInHouseTrainer"/>, the AWS rehearsal's on moto's S3; the online gate on the caller's experiment stores).
/// </summary>
public static class LocalTaskInvokers
{
    /// <summary>The bucket, under the local S3 root, the in-house trainer writes to on one machine.</summary>
    public const string LocalModelsBucket = "pipeline-data";

    /// <summary>The in-house trainer on one machine: the import files and the models on the local Personalize's S3 root.</summary>
    public static InHouseTrainingHandler LocalInHouseTrainer(LocalPersonalize personalize, TimeProvider? clock = null) =>
        new(new FileObjectStore(personalize.Options.ResolvedS3Root), new InHouseModelsOptions { Bucket = LocalModelsBucket }, clock ?? TimeProvider.System);

    /// <summary>The error a metric gate call answers when the caller registered none.</summary>
    public const string MetricGateUnavailable = "Pipeline.MetricGateUnavailable";

    /// <summary>The error an in-house trainer call answers when the caller registered none.</summary>
    public const string InHouseTrainerUnavailable = "Pipeline.InHouseTrainerUnavailable";

    public static TaskInvokerRegistry Create(
        LocalPersonalize personalize,
        IAlertSink alerts,
        DynamoDbHandler? dynamoDb = null,
        EventBridgeHandler? events = null,
        TimeProvider? clock = null,
        LambdaFunctionHandler? inHouseTrainer = null,
        RunningExecutions? running = null,
        LambdaFunctionHandler? metricGate = null,
        LambdaFunctionHandler? onlineGate = null)
    {
        var time = clock ?? TimeProvider.System;
        var registry = new TaskInvokerRegistry();

        registry.AddAwsSdk("personalize", "*", (invocation, cancellationToken) => InvokePersonalizeAsync(personalize, invocation, cancellationToken));

        // The metric gate: the Lambda's own handler, under the FunctionName the synthesized definition invokes; without it
        // every call answers an error (the recipe then fails in the gate's state, as a misconfigured function would).
        registry.AddLambdaFunction(TrainingDefinition.MetricGateFunctionName(), async (payload, cancellationToken) => metricGate is null
            ? new JsonObject { ["promote"] = false, ["reason"] = "no metric gate is registered here", ["error"] = MetricGateUnavailable }
            : await metricGate(payload, cancellationToken));
        // The in-house trainer: the trainer function's own class, under the FunctionName the definition invokes; without it
        // every call answers an error (the run then fails in the trainer's state, as a misconfigured function would).
        registry.AddLambdaFunction(TrainingDefinition.InHouseTrainerFunctionName(), async (payload, cancellationToken) => inHouseTrainer is null
            ? new JsonObject { ["status"] = "FAILED", ["version"] = null, ["models"] = new JsonArray(), ["reason"] = "no in-house trainer is registered here", ["error"] = InHouseTrainerUnavailable }
            : await inHouseTrainer(payload, cancellationToken));

        // The online gate: the function's handler class on the caller's experiment stores; without them every call answers
        // an error (the run then fails in the gate's state, as a misconfigured function would).
        registry.AddLambdaFunction(TrainingDefinition.OnlineGateFunctionName(), async (payload, cancellationToken) => onlineGate is null
            ? new JsonObject { ["error"] = OnlineGateActions.Failed, ["reason"] = "the online gate has no experiment store here (run it on `pipeline up`'s data folder)" }
            : await onlineGate(payload, cancellationToken));

        // ListExecutions: the runner's executions in flight; without a runner that tracks them, only the caller's own.
        registry.AddAwsSdk("sfn", "listExecutions", invocation =>
        {
            var machine = invocation.Parameters?["StateMachineArn"]?.GetValue<string>() ?? "";
            var executions = running?.Invoke(machine) ?? [(invocation.ExecutionArn, time.GetUtcNow())];
            return new JsonObject
            {
                ["Executions"] = new JsonArray([.. executions.OrderByDescending(e => e.StartDate).Select(e => (JsonNode)new JsonObject
                {
                    ["ExecutionArn"] = e.ExecutionArn,
                    ["StateMachineArn"] = machine,
                    ["Status"] = "RUNNING",
                    ["StartDate"] = e.StartDate.ToUnixTimeMilliseconds() / 1000.0,
                })]),
            };
        });

        registry.Register("arn:aws:states:::sns:publish", async (invocation, cancellationToken) =>
        {
            var parameters = invocation.Parameters as JsonObject ?? [];
            var message = parameters["Message"] switch
            {
                null => "",
                JsonValue value when value.TryGetValue<string>(out var text) => text,
                var node => node.ToJsonString(), // a JSON Message is delivered as its serialized text
            };
            var alert = new Alert(
                time.GetUtcNow(),
                parameters["TopicArn"]?.GetValue<string>(),
                parameters["Subject"]?.GetValue<string>(),
                message,
                invocation.ExecutionArn,
                invocation.StateName);
            await alerts.PublishAsync(alert, cancellationToken);
            return new JsonObject
            {
                ["MessageId"] = Guid.NewGuid().ToString(),
                ["SdkHttpMetadata"] = new JsonObject { ["HttpStatusCode"] = 200 },
                ["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = Guid.NewGuid().ToString() },
            };
        });

        if (dynamoDb is not null)
        {
            foreach (var action in new[] { "getItem", "putItem", "updateItem" })
            {
                registry.AddDynamoDb(action, (parameters, cancellationToken) => dynamoDb(action, parameters, cancellationToken));
            }
        }

        // Events nobody consumes locally are accepted (as a bus without rules does).
        registry.AddEventBridgePutEvents(async (parameters, cancellationToken) =>
        {
            if (events is not null) await events(parameters, cancellationToken);
            return null;
        });

        return registry;
    }

    /// <summary>One aws-sdk:personalize call: action createSolutionVersion is operation CreateSolutionVersion.</summary>
    public static async Task<JsonNode?> InvokePersonalizeAsync(LocalPersonalize personalize, TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var operation = AwsSdkNames.ToPascal(invocation.Action);
        var request = AwsSdkNames.ToCamelCase(invocation.Parameters) as JsonObject ?? [];
        try
        {
            var response = await personalize.InvokeAsync(operation, request, cancellationToken);
            return AwsSdkNames.ToPascalCase(response);
        }
        catch (PersonalizeException e)
        {
            throw new TaskFailedException("Personalize." + e.ErrorType, e.Message);
        }
    }
}
