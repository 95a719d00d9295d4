using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Api.Functions;
using Pipeline.Domain.Training;
using Pipeline.Domain.Training.OnlineGate;
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
/// <param name="experiments">The running stack's experiment store, when there is one: the workflow's experiment updates go
/// through it (and its serving cache) instead of a second connection to the file.</param>
/// <param name="experimentMetrics">The running stack's experiment aggregates: the online gate reads the results from them.</param>
public sealed class LocalWorkflowRunner(string dataDirectory, LocalPersonalize personalize, LocalPersonalizeOptions personalizeOptions, IAlertSink alerts, double waitScale,
    IExperimentStore? experiments = null, IExperimentMetricsStore? experimentMetrics = null)
{
    // The in-house trainer function's own class (its JSON transport), training on the local Personalize's S3 root.
    private readonly InHouseTrainerFunction _inHouseTrainer = new(LocalTaskInvokers.LocalInHouseTrainer(personalize));

    // One table for every run on the stack's store, so concurrent runs' read-modify-writes are serialized too.
    private readonly LocalExperimentsTable? _sharedExperiments = experiments is null ? null : new LocalExperimentsTable(experiments);

    public string DataDirectory => dataDirectory;

    public LocalPersonalizeOptions PersonalizeOptions => personalizeOptions;

    public LocalExecutionStore Executions { get; } = new(ExecutionsFolder(dataDirectory));

    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);

    // The executions in flight by name: GetExecutionHistory on AWS answers while a run goes on, and so does the API here.
    private readonly ConcurrentDictionary<string, Execution> _live = new(StringComparer.Ordinal);

    public static string ExecutionsFolder(string dataDirectory) => Path.Combine(dataDirectory, "workflows", "executions");

    public static string AlertsPath(string dataDirectory) => Path.Combine(dataDirectory, "workflows", "alerts.jsonl");

    /// <exception cref="CommandLineException">The workflow is unknown.</exception>
    /// <param name="executionName">The execution's name (a new one when null): StartExecution names it before it runs.</param>
    public async Task<Execution> RunAsync(string workflowName, JsonObject input, CancellationToken cancellationToken, string? executionName = null)
    {
        if (!LocalWorkflows.TryGetDefinition(workflowName, out var definition))
            throw new CommandLineException($"unknown workflow '{workflowName}'; known: {string.Join(", ", LocalWorkflows.Definitions.Keys)}.");
        await using var ownExperiments = _sharedExperiments is null ? new LocalExperimentsTable(Path.Combine(dataDirectory, "pipeline.db")) : null;
        var experimentsTable = _sharedExperiments ?? ownExperiments!;
        var eventsPath = Path.Combine(dataDirectory, "workflows", "events.jsonl");
        async Task AppendEventsAsync(JsonNode? parameters, CancellationToken ct)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(eventsPath))!);
            var lines = (parameters?["Entries"]?.AsArray() ?? []).Select(e => e!.ToJsonString() + Environment.NewLine);
            await File.AppendAllTextAsync(eventsPath, string.Concat(lines), ct);
        }
        var name = executionName ?? LocalExecutionStore.NewExecutionName();
        var arn = $"arn:aws:states:{personalizeOptions.Region}:{personalizeOptions.AccountId}:execution:{workflowName}:{name}";
        using var ownDatabase = experiments is null && File.Exists(Path.Combine(dataDirectory, "pipeline.db")) ? new SqliteDatabase(Path.Combine(dataDirectory, "pipeline.db")) : null;
        var onlineGate = OnlineGate(ownDatabase);
        var runner = new StateMachineRunner(LocalTaskInvokers.Create(personalize, alerts, experimentsTable.HandleAsync, AppendEventsAsync, running: RunningOf,
            inHouseTrainer: _inHouseTrainer.HandleJsonAsync, metricGate: new MetricGateFunction(new PromotionRule()).HandleJsonAsync, onlineGate: onlineGate is null ? null : onlineGate.HandleJsonAsync), new StateMachineRunnerOptions
        {
            WaitScale = waitScale,
            StateMachineName = workflowName,
            AccountId = personalizeOptions.AccountId,
            Region = personalizeOptions.Region,
        });
        _running[arn] = DateTimeOffset.UtcNow;
        try
        {
            var execution = runner.StartExecution(definition, input.ToJsonString(), name);
            _live[name] = execution;
            try
            {
                await execution.WaitForCompletionAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The process is stopping (Ctrl+C of `pipeline up` or `workflow start`): the execution is stopped as
                // StopExecution would, and kept ABORTED with its history, so `workflow list` and /workflows show it.
                await AbortAsync(execution, workflowName);
                throw;
            }
            await Executions.SaveAsync(execution, workflowName, cancellationToken);
            return execution;
        }
        finally
        {
            _running.TryRemove(arn, out _);
            _live.TryRemove(name, out _);
        }
    }

    /// <summary>The events so far of an execution running in this process (GetExecutionHistory's, oldest first); null when none runs by that name.</summary>
    public JsonArray? LiveHistory(string name) =>
        _live.TryGetValue(name, out var execution) ? new JsonArray([.. execution.History.Select(e => (JsonNode)e.ToJson())]) : null;

    /// <summary>How long a stopped execution gets to end (its tasks see the cancellation) before it is left unsaved.</summary>
    private static readonly TimeSpan AbortTimeout = TimeSpan.FromSeconds(5);

    public const string StoppedError = "Pipeline.Stopped";

    private async Task AbortAsync(Execution execution, string workflowName)
    {
        execution.Stop(StoppedError, "the process running the workflow stopped while the execution ran");
        try
        {
            await execution.WaitForCompletionAsync().WaitAsync(AbortTimeout);
            await Executions.SaveAsync(execution, workflowName, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A task that ignores the cancellation: the execution ends with the process, unrecorded.
        }
    }

    /// <summary>The online gate on the stack's stores, or on the data folder's database when no stack runs (none without either).</summary>
    private OnlineGateFunction? OnlineGate(SqliteDatabase? ownDatabase)
    {
        if (experiments is not null && experimentMetrics is not null)
        {
            return new OnlineGateFunction(new OnlineGateActions(experiments, new ExperimentResultsService(experiments, experimentMetrics), new OnlineGateRule()));
        }
        if (ownDatabase is null) return null;
        var store = new SqliteExperimentStore(ownDatabase);
        return new OnlineGateFunction(new OnlineGateActions(store, new ExperimentResultsService(store, new SqliteExperimentMetricsStore(ownDatabase)), new OnlineGateRule()));
    }

    /// <summary>The runs of one machine in flight in this process (the nightly one, and those started by hand through the stack).</summary>
    private IReadOnlyList<(string, DateTimeOffset)> RunningOf(string stateMachineArn)
    {
        var prefix = stateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":";
        return [.. _running.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(r => (r.Key, r.Value))];
    }
}
