using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.StepFunctions;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The deployment's workflows for the <c>/workflows</c> routes: the training and teardown state machines the infra
/// names in the API function's environment, read and started through Step Functions. Dates are turned from the wire's
/// epoch seconds into ISO 8601, as the local stack gives them.
/// </summary>
public sealed class StepFunctionsWorkflows(StepFunctionsClient client, IReadOnlyDictionary<string, string> machines, JsonObject schedule)
    : IWorkflowExecutions
{
    /// <summary>Per machine, the newest executions listed; the console shows recent runs, not the archive.</summary>
    public const int ListedPerMachine = 25;

    /// <summary>History events read for one execution (Step Functions keeps up to 25,000).</summary>
    public const int MaxHistoryEvents = 5000;

    private static readonly string[] DateMembers = ["startDate", "stopDate", "timestamp", "creationDate"];
    private static readonly string[] DescribedMembers = ["error", "cause", "output"];

    public IReadOnlyList<string> Workflows { get; } = [.. machines.Keys];

    public string? AlertsNote =>
        "Failure alerts go to the SNS topic (AlertTopicArn), which cannot be read back: the failed executions above are what they report.";

    public async Task<JsonArray> ListAsync(CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(machines.Select(async machine =>
        {
            var page = await client.ListExecutionsAsync(machine.Value, ListedPerMachine, cancellationToken);
            return (page["executions"]?.AsArray() ?? []).OfType<JsonObject>().Select(e => Shape(e.DeepClone().AsObject(), machine.Key)).ToList();
        }));
        var executions = pages.SelectMany(p => p).OrderByDescending(e => e["startDate"]?.GetValue<string>(), StringComparer.Ordinal).ToList();
        // ListExecutions leaves out error, cause and output: the list shows the first two, the Models page's promotion
        // history reads the gate decisions from the training runs' output.
        await Task.WhenAll(executions.Where(e => e["status"]?.GetValue<string>() != "RUNNING").Select(async e =>
        {
            var description = await client.DescribeExecutionAsync(e["executionArn"]!.GetValue<string>(), cancellationToken);
            foreach (var member in DescribedMembers) e[member] = description[member]?.DeepClone();
        }));
        return new JsonArray([.. executions]);
    }

    public async Task<JsonObject?> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var (workflow, machineArn) in machines)
        {
            var executionArn = StepFunctionsClient.ExecutionArn(machineArn, name);
            JsonObject execution;
            try
            {
                execution = await client.DescribeExecutionAsync(executionArn, cancellationToken);
            }
            catch (AwsApiException e) when (e.ErrorCode == StepFunctionsClient.ExecutionDoesNotExist || e.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            var history = client.GetExecutionHistoryAsync(executionArn, MaxHistoryEvents, cancellationToken);
            var machine = client.DescribeStateMachineForExecutionAsync(executionArn, cancellationToken);
            Shape(execution, workflow);
            var events = await history;
            foreach (var item in events.OfType<JsonObject>()) IsoDates(item);
            execution["history"] = events;
            execution["definition"] = (await machine)["definition"]?.DeepClone();
            return execution;
        }
        return null;
    }

    public async Task<JsonObject> StartAsync(string workflow, JsonObject input, CancellationToken cancellationToken)
    {
        var started = await client.StartExecutionAsync(machines[workflow], input.ToJsonString(), cancellationToken);
        var executionArn = started["executionArn"]!.GetValue<string>();
        return IsoDates(new JsonObject
        {
            ["executionArn"] = executionArn,
            ["name"] = executionArn[(executionArn.LastIndexOf(':') + 1)..],
            ["startDate"] = started["startDate"]?.DeepClone(),
        });
    }

    public JsonObject Schedule() => schedule.DeepClone().AsObject();

    public Task<JsonArray> AlertsAsync(int max, CancellationToken cancellationToken) => Task.FromResult(new JsonArray());

    private static JsonObject Shape(JsonObject execution, string workflow)
    {
        execution["stateMachine"] = workflow;
        return IsoDates(execution);
    }

    private static JsonObject IsoDates(JsonObject item)
    {
        foreach (var member in DateMembers)
        {
            if (item[member] is JsonValue value && value.TryGetValue<double>(out var seconds))
            {
                item[member] = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)).ToString("O", CultureInfo.InvariantCulture);
            }
        }
        return item;
    }
}
