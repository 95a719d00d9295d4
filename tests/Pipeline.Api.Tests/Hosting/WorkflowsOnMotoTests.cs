using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Signing;
using Pipeline.Adapters.Aws.StepFunctions;
using Pipeline.Api.Hosting;
using Pipeline.Api.Workflows;

namespace Pipeline.Api.Tests.Hosting;

/// <summary>
/// Program.cs's API function in AWS mode with the state machines' ARNs the infra gives it: the <c>/workflows</c> routes
/// the console reads answer from Step Functions (moto_server's) instead of 501.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class WorkflowsOnMotoTests(MotoServer moto)
{
    [Fact]
    public async Task Api_OnAws_StartsListsAndDescribesTrainingRuns_ThroughStepFunctions()
    {
        var prefix = $"w{Guid.NewGuid():N}"[..10];
        var definition = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "workflows/Pipeline.Workflows.Definitions/training.asl.json"));
        var training = await CreateStateMachineAsync($"{prefix}-training", definition);
        var teardown = await CreateStateMachineAsync($"{prefix}-teardown", """{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}""");
        await using var api = new ProgramHost(new Dictionary<string, string?>(ProgramHost.OnMoto(moto))
        {
            ["PIPELINE_ROLE"] = PipelineRoles.Api,
            ["PIPELINE_EXPERIMENTS_TABLE"] = $"{prefix}-Experiments", ["PIPELINE_ASSIGNMENTS_TABLE"] = $"{prefix}-Assignments",
            ["PIPELINE_ITEMS_TABLE"] = $"{prefix}-Items", ["PIPELINE_USERS_TABLE"] = $"{prefix}-Users",
            ["PIPELINE_AGGREGATES_TABLE"] = $"{prefix}-Aggregates", ["PIPELINE_EVENTS_QUEUE_URL"] = $"{moto.Endpoint}000000000000/{prefix}",
            ["PIPELINE_DATA_BUCKET"] = $"{prefix}-data",
            [EnvironmentVariables.TrainingStateMachineArn] = training,
            [EnvironmentVariables.TeardownStateMachineArn] = teardown,
            [EnvironmentVariables.TrainingSchedule] = "cron(0 3 * * ? *)",
            [EnvironmentVariables.TrainingScheduleInput] = """{"dataset_group":"pipeline","training_mode":"FULL"}""",
        });
        using var client = api.CreateClient();

        using var started = await client.PostAsync("/workflows/training/executions",
            new StringContent("""{"input":{"dataset_group":"pipeline"}}""", Encoding.UTF8, "application/json"));
        var start = JsonNode.Parse(await started.Content.ReadAsStringAsync())!;
        var name = start["name"]!.GetValue<string>();
        // A teardown run an operator stopped: listed from the other machine, described for what ListExecutions leaves out.
        var stopped = (await CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = teardown, ["name"] = $"{prefix}-stopped", ["input"] = "{}" }))["executionArn"]!.GetValue<string>();
        await CallAsync("StopExecution", new JsonObject { ["executionArn"] = stopped, ["error"] = "Operator.Stopped", ["cause"] = "by hand" });
        var list = JsonNode.Parse(await client.GetStringAsync("/workflows"))!;
        var execution = JsonNode.Parse(await client.GetStringAsync($"/workflows/executions/{name}"))!;
        using var graph = await client.GetAsync($"/workflows/executions/{name}/graph");
        using var unknown = await client.GetAsync("/workflows/executions/no-such-run");
        using var badWorkflow = await client.PostAsync("/workflows/nightly/executions",
            new StringContent("""{"input":{}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(StepFunctionsClient.ExecutionArn(training, name), start["executionArn"]!.GetValue<string>());
        Assert.Equal(["training", "teardown"], list["workflows"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal("cron(0 3 * * ? *)", list["schedule"]!["scheduleExpression"]!.GetValue<string>());
        Assert.Equal("FULL", list["schedule"]!["input"]!["training_mode"]!.GetValue<string>());
        // The recent alerts: the aborted run only (ListExecutions with statusFilter, per failed status), not the running one.
        Assert.Equal([stopped], list["alerts"]!.AsArray().Select(a => a!["execution"]!.GetValue<string>()));
        Assert.Equal("ABORTED", list["alerts"]![0]!["status"]!.GetValue<string>());
        var executions = list["executions"]!.AsArray();
        Assert.Equal(2, executions.Count);
        var listed = executions.Single(e => e!["name"]!.GetValue<string>() == name)!;
        Assert.Equal(("training", "RUNNING"), (listed["stateMachine"]!.GetValue<string>(), listed["status"]!.GetValue<string>()));
        var aborted = executions.Single(e => e!["executionArn"]!.GetValue<string>() == stopped)!;
        // moto 5.2.1's StopExecution drops the error and cause it is given, so only the stop itself can be checked here.
        Assert.Equal(("teardown", "ABORTED"), (aborted["stateMachine"]!.GetValue<string>(), aborted["status"]!.GetValue<string>()));
        Assert.True(DateTimeOffset.TryParse(aborted["stopDate"]!.GetValue<string>(), out _));
        // Dates as ISO 8601, like the local stack's, not the wire's epoch seconds.
        Assert.True(DateTimeOffset.TryParse(listed["startDate"]!.GetValue<string>(), out _));
        Assert.Equal(StepFunctionsClient.ExecutionArn(training, name), execution["executionArn"]!.GetValue<string>());
        Assert.Equal("""{"dataset_group":"pipeline"}""", execution["input"]!.GetValue<string>());
        Assert.Equal("training", execution["stateMachine"]!.GetValue<string>());
        Assert.Equal(definition, execution["definition"]!.GetValue<string>());
        Assert.NotEmpty(execution["history"]!.AsArray());
        // The graph is the definition the execution ran, from DescribeStateMachineForExecution.
        Assert.Equal("image/svg+xml", graph.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-state=\"DescribeSolutionVersion\"", await graph.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badWorkflow.StatusCode);
    }

    private async Task<string> CreateStateMachineAsync(string name, string definition) =>
        (await CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name, ["definition"] = definition, ["roleArn"] = "arn:aws:iam::123456789012:role/StatesExecutionRole",
        }))["stateMachineArn"]!.GetValue<string>();

    /// <summary>A Step Functions call on moto, as the test's own client (the API's is under test).</summary>
    private async Task<JsonNode> CallAsync(string operation, JsonObject body)
    {
        using var http = new AwsServiceEndpoint(moto.Endpoint, MotoServer.Region, StepFunctionsClient.SigningName, MotoServer.Credentials).CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"AWSStepFunctions.{operation}");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
