using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.StepFunctions;
using Pipeline.Domain.Scheduling;
using Pipeline.Domain.Workflows;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The deployment's workflows for the <c>/workflows</c> routes: the training and teardown state machines the infra
/// names in the API function's environment, read and started through Step Functions. Dates are turned from the wire's
/// epoch seconds into ISO 8601, as the local stack gives them. The nightly rule's next run is computed from its
/// schedule expression (a <c>cron(...)</c> has one; a <c>rate(...)</c> counts from when the rule was created, which is
/// not known here, so it has none); the recent alerts are the executions that ended in a status the failure rule fires
/// on (<see cref="WorkflowAlerts.FailedStatuses"/>), since the SNS messages themselves cannot be read back.
/// </summary>
/// <param name="schedule">The rule: <c>scheduleExpression</c> and <c>input</c>.</param>
public sealed class StepFunctionsWorkflows(StepFunctionsClient client, IReadOnlyDictionary<string, string> machines, JsonObject schedule, TimeProvider time)
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
        $"No execution ended {string.Join(", ", WorkflowAlerts.FailedStatuses)} (what the failure rule alerts on through the SNS topic).";

    private readonly CronSchedule? _cron = schedule["scheduleExpression"]?.GetValue<string>() is { } expression
        ? ScheduleExpression.Parse(expression, time.GetUtcNow()) as CronSchedule
        : null;

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

    public JsonObject Schedule()
    {
        var answer = schedule.DeepClone().AsObject();
        if (_cron?.NextAfter(time.GetUtcNow()) is { } next) answer["nextRun"] = next.ToString("O", CultureInfo.InvariantCulture);
        return answer;
    }

    /// <summary>
    /// The newest <paramref name="max"/> executions of either machine that ended FAILED, TIMED_OUT or ABORTED (one
    /// ListExecutions with <c>statusFilter</c> per machine and status), each described for its error and cause, as
    /// alerts: <c>time</c> (the stop date), <c>subject</c>, <c>message</c> (the failure rule's text), <c>execution</c>,
    /// <c>name</c>, <c>stateMachine</c>, <c>status</c>, <c>error</c>, <c>cause</c>.
    /// </summary>
    public async Task<JsonArray> AlertsAsync(int max, CancellationToken cancellationToken)
    {
        var pages = await Task.WhenAll(machines.SelectMany(machine => WorkflowAlerts.FailedStatuses.Select(async status =>
        {
            var page = await client.ListExecutionsAsync(machine.Value, max, cancellationToken, statusFilter: status);
            return (page["executions"]?.AsArray() ?? []).OfType<JsonObject>().Select(e => Shape(e.DeepClone().AsObject(), machine.Key)).ToList();
        })));
        var newest = pages.SelectMany(p => p)
            .OrderByDescending(e => e["stopDate"]?.GetValue<string>() ?? e["startDate"]?.GetValue<string>(), StringComparer.Ordinal)
            .Take(max)
            .ToList();
        var alerts = await Task.WhenAll(newest.Select(async e =>
        {
            var arn = e["executionArn"]!.GetValue<string>();
            var description = await client.DescribeExecutionAsync(arn, cancellationToken);
            var (name, status) = (e["name"]?.GetValue<string>(), e["status"]?.GetValue<string>());
            var (error, cause) = (description["error"]?.GetValue<string>(), description["cause"]?.GetValue<string>());
            return new JsonObject
            {
                ["time"] = e["stopDate"]?.DeepClone() ?? e["startDate"]?.DeepClone(),
                ["subject"] = $"{e["stateMachine"]} execution {name} ended {status}",
                ["message"] = $"Execution {name} of {e["stateMachineArn"]?.GetValue<string>() ?? machines[e["stateMachine"]!.GetValue<string>()]} ended {status}: {error} {cause}".TrimEnd(),
                ["execution"] = arn,
                ["name"] = name,
                ["stateMachine"] = e["stateMachine"]?.DeepClone(),
                ["status"] = status,
                ["error"] = error,
                ["cause"] = cause,
            };
        }));
        return new JsonArray([.. alerts]);
    }

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
