using System.Text.Json.Nodes;
using Pipeline.Api.Workflows;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The local stack's workflows for the API's <c>/workflows</c> routes (and so the console): the executions the runner
/// saved, those the Step Functions endpoint is running, starting one there (after the first import, as its own
/// StartExecution does), the nightly rule and the alerts file. Attached once `pipeline up` has built them; until
/// then (the API serves before the workflows start) the lists are empty and starting is refused.
/// </summary>
public sealed class LocalStackWorkflows : IWorkflowExecutions
{
    private LocalWorkflowRunner? _runner;
    private LocalStepFunctionsServer? _stepFunctions;
    private NightlyRetraining? _nightly;

    // Training first: the console's start form offers it by default.
    public IReadOnlyList<string> Workflows { get; } = [.. LocalWorkflows.Definitions.Keys.OrderBy(k => k == LocalWorkflows.Training ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal)];

    public void Attach(LocalWorkflowRunner runner, LocalStepFunctionsServer stepFunctions, NightlyRetraining nightly)
    {
        _runner = runner;
        _stepFunctions = stepFunctions;
        _nightly = nightly;
    }

    public async Task<JsonArray> ListAsync(CancellationToken cancellationToken)
    {
        var executions = new List<JsonObject>();
        if (_stepFunctions is not null) executions.AddRange(_stepFunctions.Running());
        if (_runner is not null)
        {
            foreach (var name in _runner.Executions.Names())
            {
                if (await _runner.Executions.FindAsync(name, cancellationToken) is not { } record) continue;
                record.Remove("history");
                if (executions.All(e => e["name"]?.GetValue<string>() != name)) executions.Add(record);
            }
        }
        return new JsonArray([.. executions.OrderByDescending(e => e["startDate"]?.GetValue<string>(), StringComparer.Ordinal)]);
    }

    public async Task<JsonObject?> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        var running = _stepFunctions?.Running().FirstOrDefault(e => e["name"]?.GetValue<string>() == name);
        // A running execution's events so far, as GetExecutionHistory gives them on AWS (the console follows a run by them).
        if (running is not null) running["history"] = _runner?.LiveHistory(name) ?? [];
        var execution = running ?? (_runner is null ? null : await _runner.Executions.FindAsync(name, cancellationToken));
        // The definition the runner executes is the synthesized one, for every run (as DescribeStateMachineForExecution gives).
        if (execution?["stateMachine"]?.GetValue<string>() is { } workflow && LocalWorkflows.TryGetDefinition(workflow, out var definition))
            execution["definition"] = definition;
        return execution;
    }

    public Task<JsonObject> StartAsync(string workflow, JsonObject input, CancellationToken cancellationToken) =>
        Task.FromResult((_stepFunctions ?? throw new InvalidOperationException("The workflows are still starting; try again in a moment.")).StartExecution(workflow, input));

    public JsonObject Schedule() => _nightly is null ? [] : new JsonObject
    {
        ["scheduleExpression"] = _nightly.Rule.ScheduleExpression,
        ["nextRun"] = _nightly.NextRun()?.ToString("O"),
        ["input"] = _nightly.Rule.Input.DeepClone(),
    };

    public async Task<JsonArray> AlertsAsync(int max, CancellationToken cancellationToken)
    {
        var path = _runner is null ? null : LocalWorkflowRunner.AlertsPath(_runner.DataDirectory);
        if (path is null || !File.Exists(path)) return [];
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return new JsonArray([.. lines.Reverse().Where(l => l.Length > 0).Take(max).Select(l => JsonNode.Parse(l))]);
    }
}
