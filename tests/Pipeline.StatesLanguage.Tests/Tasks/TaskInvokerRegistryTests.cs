using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.StatesLanguage.Tasks;
using Pipeline.StatesLanguage.Tests.Hosting;

namespace Pipeline.StatesLanguage.Tests.Tasks;

public class TaskInvokerRegistryTests
{
    private readonly WorkflowHost _host = new();

    private static string OneTask(string resource, string parameters = "{}") => $$"""
        { "StartAt": "Call", "States": { "Call": { "Type": "Task", "Resource": "{{resource}}", "Parameters": {{parameters}}, "End": true } } }
        """;

    [Fact]
    public void AwsSdkHandler_ReceivesTheServiceTheActionAndTheEffectiveParameters()
    {
        TaskInvocation? seen = null;
        _host.Tasks.AddAwsSdk("personalize", "*", invocation =>
        {
            seen = invocation;
            return new JsonObject { ["SolutionVersionArn"] = "arn:sv/1" };
        });
        var execution = _host.Run(OneTask("arn:aws:states:::aws-sdk:personalize:createSolutionVersion", """{ "SolutionArn.$": "$.solution", "TrainingMode": "FULL" }"""),
            """{"solution": "arn:solution/1"}""");

        Assert.Equal("personalize", seen!.Service);
        Assert.Equal("createSolutionVersion", seen.Action);
        Assert.Equal("""{"SolutionArn":"arn:solution/1","TrainingMode":"FULL"}""", seen.Parameters!.ToJsonString());
        Assert.Equal("Call", seen.StateName);
        var scheduled = execution.OfType("TaskScheduled").Single();
        Assert.Equal("aws-sdk:personalize", scheduled.ResourceType);
        Assert.Equal("createSolutionVersion", scheduled.Resource);
        Assert.Equal("""{"SolutionVersionArn":"arn:sv/1"}""", execution.OfType("TaskSucceeded").Single().Output!.ToJsonString());
    }

    [Fact]
    public void MostSpecificPattern_Wins()
    {
        _host.Tasks.AddAwsSdk("personalize", "*", _ => JsonValue.Create("any"));
        _host.Tasks.AddAwsSdk("personalize", "describeSolutionVersion", _ => JsonValue.Create("specific"));

        Assert.Equal("\"specific\"", _host.Run(OneTask("arn:aws:states:::aws-sdk:personalize:describeSolutionVersion")).Json());
        Assert.Equal("\"any\"", _host.Run(OneTask("arn:aws:states:::aws-sdk:personalize:listSolutions")).Json());
    }

    [Fact]
    public void TaskFailedException_NamesTheASLError()
    {
        _host.Tasks.AddAwsSdk("personalize", "describeSolutionVersion", _ =>
            throw new TaskFailedException("Personalize.ResourceNotFoundException", "Could not find solution version arn:sv/404"));
        var execution = _host.Run(OneTask("arn:aws:states:::aws-sdk:personalize:describeSolutionVersion"));

        Assert.Equal("Personalize.ResourceNotFoundException", execution.Error);
        Assert.Equal("Could not find solution version arn:sv/404", execution.OfType("TaskFailed").Single().Cause);
    }

    [Fact]
    public void UnknownResource_FailsTheTaskWithAClearCause()
    {
        var execution = _host.Run(OneTask("arn:aws:states:::aws-sdk:glue:startJobRun"));

        Assert.Equal("States.TaskFailed", execution.Error);
        Assert.StartsWith("No task handler is registered for the resource 'arn:aws:states:::aws-sdk:glue:startJobRun'.", execution.Cause, StringComparison.Ordinal);
        Assert.Single(execution.OfType("TaskStartFailed"));
    }

    [Fact]
    public void LambdaInvoke_WrapsTheFunctionResultLikeAWS()
    {
        _host.Tasks.AddLambdaFunction("score", payload => new JsonObject { ["status"] = "OK", ["echo"] = payload!["n"]!.DeepClone() });
        var execution = _host.Run("""
            { "StartAt": "Score", "States": { "Score": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": { "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:score:$LATEST", "Payload": { "n.$": "$.n" } },
                "ResultSelector": { "status.$": "$.Payload.status", "echo.$": "$.Payload.echo", "code.$": "$.StatusCode" }, "End": true } } }
            """, """{"n": 3}""");

        Assert.Equal("""{"status":"OK","echo":3,"code":200}""", execution.Json());
        var raw = execution.OfType("TaskSucceeded").Single().Output!.AsObject();
        Assert.Equal(["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"], raw.Select(p => p.Key));
    }

    [Fact]
    public void ThrowingLambda_FailsWithItsExceptionTypeAndLambdasErrorPayload()
    {
        _host.Tasks.AddLambdaFunction("score", _ => throw new ArgumentException("bad payload"));
        var execution = _host.Run(OneTask("arn:aws:states:::lambda:invoke", """{ "FunctionName": "score" }"""));

        Assert.Equal("ArgumentException", execution.Error);
        Assert.Equal("""{"errorType":"ArgumentException","errorMessage":"bad payload"}""", execution.Cause);
    }

    [Fact]
    public void UnknownLambdaFunction_IsLambdaResourceNotFoundException()
    {
        _host.Tasks.AddLambdaFunction("score", _ => null);
        var execution = _host.Run(OneTask("arn:aws:states:::lambda:invoke", """{ "FunctionName": "missing" }"""));

        Assert.Equal("Lambda.ResourceNotFoundException", execution.Error);
    }

    [Fact]
    public void SnsPublishEventBridgePutEventsAndDynamoDBGet_GiveAWSShapedDefaultResults()
    {
        var published = new List<string>();
        _host.Tasks
            .AddSnsPublish((parameters, _) => { published.Add(parameters!["Message"]!.GetValue<string>()); return Task.FromResult<JsonNode?>(null); })
            .AddEventBridgePutEvents((_, _) => Task.FromResult<JsonNode?>(null))
            .AddDynamoDb("putItem", (_, _) => Task.FromResult<JsonNode?>(null));
        var execution = _host.Run("""
            { "StartAt": "Notify", "States": {
                "Notify": { "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Message": "trained" }, "ResultSelector": { "id.$": "$.MessageId" }, "ResultPath": "$.sns", "Next": "Emit" },
                "Emit": { "Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": { "Entries": [ { "Source": "pipeline", "DetailType": "Trained", "Detail": {} } ] }, "ResultSelector": { "failed.$": "$.FailedEntryCount" }, "ResultPath": "$.events", "Next": "Store" },
                "Store": { "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": { "TableName": "runs", "Item": { "id": { "S": "1" } } }, "ResultPath": null, "End": true } } }
            """);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(["trained"], published);
        Assert.Matches("^[0-9a-f-]{36}$", execution.Output!["sns"]!["id"]!.GetValue<string>());
        Assert.Equal(0, execution.Output!["events"]!["failed"]!.GetValue<int>());
        Assert.Equal(["sns", "events", "dynamodb"], execution.OfType("TaskScheduled").Select(e => e.ResourceType));
    }

    [Theory]
    [InlineData("arn:aws:states:::aws-sdk:personalize:createSolutionVersion", "aws-sdk:personalize", "createSolutionVersion", null)]
    [InlineData("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "invoke", "waitForTaskToken")]
    [InlineData("arn:aws:states:::states:startExecution.sync:2", "states", "startExecution", "sync:2")]
    [InlineData("arn:aws:states:::dynamodb:updateItem", "dynamodb", "updateItem", null)]
    public void ResourceArns_AreTakenApartAsHistoryReportsThem(string arn, string resourceType, string resource, string? pattern)
    {
        var parsed = TaskResource.Parse(arn);
        Assert.Equal((resourceType, resource, pattern), (parsed.ResourceType, parsed.ResourceName, parsed.IntegrationPattern));
    }
}
