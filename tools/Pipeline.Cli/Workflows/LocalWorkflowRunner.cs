using System.Text.Json.Nodes;
using Pipeline.Personalize.Local;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// Runs one of <see cref="LocalWorkflows"/> (the synthesized ASL) to completion against a local Personalize, the local
/// stack's experiments (<c>&lt;data-dir&gt;/pipeline.db</c>), <c>&lt;data-dir&gt;/workflows/events.jsonl</c> for
/// EventBridge and the given alert sink for SNS, and keeps the execution in <c>&lt;data-dir&gt;/workflows/executions</c>.
/// Used by `workflow start` and by the scheduler in `pipeline up`.
/// </summary>
public sealed class LocalWorkflowRunner(string dataDirectory, LocalPersonalize personalize, LocalPersonalizeOptions personalizeOptions, IAlertSink alerts, double waitScale)
{
    public LocalExecutionStore Executions { get; } = new(ExecutionsFolder(dataDirectory));

    public static string ExecutionsFolder(string dataDirectory) => Path.Combine(dataDirectory, "workflows", "executions");

    public static string AlertsPath(string dataDirectory) => Path.Combine(dataDirectory, "workflows", "alerts.jsonl");

    /// <exception cref="CommandLineException">The workflow is unknown.</exception>
    public async Task<Execution> RunAsync(string workflowName, JsonObject input, CancellationToken cancellationToken)
    {
        if (!LocalWorkflows.TryGetDefinition(workflowName, out var definition))
            throw new CommandLineException($"unknown workflow '{workflowName}'; known: {string.Join(", ", LocalWorkflows.Definitions.Keys)}.");
        await using var experiments = new LocalExperimentsTable(Path.Combine(dataDirectory, "pipeline.db"));
        var eventsPath = Path.Combine(dataDirectory, "workflows", "events.jsonl");
        async Task AppendEventsAsync(JsonNode? parameters, CancellationToken ct)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(eventsPath))!);
            var lines = (parameters?["Entries"]?.AsArray() ?? []).Select(e => e!.ToJsonString() + Environment.NewLine);
            await File.AppendAllTextAsync(eventsPath, string.Concat(lines), ct);
        }
        var runner = new StateMachineRunner(LocalTaskInvokers.Create(personalize, alerts, experiments.HandleAsync, AppendEventsAsync), new StateMachineRunnerOptions
        {
            WaitScale = waitScale,
            StateMachineName = workflowName,
            AccountId = personalizeOptions.AccountId,
            Region = personalizeOptions.Region,
        });
        var execution = await runner.RunAsync(definition, input.ToJsonString(), LocalExecutionStore.NewExecutionName(), cancellationToken);
        await Executions.SaveAsync(execution, workflowName, cancellationToken);
        return execution;
    }
}
