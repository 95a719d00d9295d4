using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Cli.LocalStack;
using Pipeline.Cli.Workflows;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Commands;

/// <summary>
/// `pipeline workflow …`: the Step Functions state machines CDK synthesizes, run on this machine by the States
/// Language interpreter against the local Personalize in <c>&lt;data-dir&gt;/personalize</c>.
/// </summary>
public static class WorkflowCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var workflow = new Command("workflow", "Step Functions workflows (the synthesized ASL) run locally against the local Personalize.");
        workflow.Subcommands.Add(CreateList());
        workflow.Subcommands.Add(CreateStart());
        workflow.Subcommands.Add(CreateStatus());
        workflow.Subcommands.Add(CreateHistory());
        return workflow;
    }

    private static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "The local stack's data folder (Personalize state in <data-dir>/personalize, executions in <data-dir>/workflows).",
        DefaultValueFactory = _ => LocalStackOptions.DefaultDataDirectory,
    };

    private static string ExecutionsFolder(string dataDir) => LocalWorkflowRunner.ExecutionsFolder(dataDir);

    private static Command CreateList()
    {
        var dataDir = DataDirOption();
        var list = new Command("list", "The workflows that can be started, and the executions run so far.") { dataDir };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var name in LocalWorkflows.Definitions.Keys.Order(StringComparer.Ordinal))
            {
                await output.WriteLineAsync($"workflow  {name}");
            }
            var store = new LocalExecutionStore(ExecutionsFolder(parseResult.GetValue(dataDir)!));
            foreach (var execution in store.Names())
            {
                var record = await store.FindAsync(execution, cancellationToken);
                await output.WriteLineAsync($"execution {execution}  {record?["stateMachine"]}  {record?["status"]}");
            }
            return 0;
        });
        return list;
    }

    private static Command CreateStart()
    {
        var name = new Argument<string>("name") { Description = "The workflow: " + string.Join(", ", LocalWorkflows.Definitions.Keys) };
        var input = new Option<string?>("--input") { Description = "The execution's input JSON, e.g. {\"solutionArn\": \"arn:aws:personalize:…:solution/NAME\"}; {} when omitted." };
        var fromSchedule = new Option<bool>("--input-from-schedule") { Description = "Start training with the nightly rule's target input (what the scheduler in `pipeline up` sends): a manual run of the scheduled job." };
        var dataDir = DataDirOption();
        // 0.01, not less: the machine's own timeout is scaled too, while local training is real CPU time, so a smaller
        // scale can time a run out on a busy machine (the training machine's bound is about 34 h: 20 min at 0.01).
        var waitScale = new Option<double>("--wait-scale") { Description = "Multiplies every Wait, retry interval and timeout (0.01 turns a 300 s poll into 3 s).", DefaultValueFactory = _ => 0.01 };
        var realistic = new Option<bool>("--realistic") { Description = "Personalize resources go PENDING → IN_PROGRESS → ACTIVE over time instead of finishing at once." };
        var webhook = AlertWebhookOption.Create();

        var start = new Command("start", "Run a workflow to completion and print its status, output and (on failure) error and cause; exit 1 unless it SUCCEEDED.")
        {
            name, input, fromSchedule, dataDir, waitScale, realistic, webhook,
        };
        start.SetAction(async (parseResult, cancellationToken) =>
        {
            var workflowName = parseResult.GetValue(name)!;
            if (!LocalWorkflows.Definitions.ContainsKey(workflowName))
                throw new CommandLineException($"unknown workflow '{workflowName}'; known: {string.Join(", ", LocalWorkflows.Definitions.Keys)}.");
            var inputJson = ReadInput(parseResult.GetValue(input), parseResult.GetValue(fromSchedule), workflowName);
            var scale = parseResult.GetValue(waitScale);
            if (scale is <= 0 or > 1) throw new CommandLineException($"--wait-scale must be greater than 0 and at most 1, got {scale}.");
            var directory = parseResult.GetValue(dataDir)!;
            if (string.IsNullOrWhiteSpace(directory) || File.Exists(directory)) throw new CommandLineException($"--data-dir '{directory}' must name a folder.");
            var webhookUrl = AlertWebhookOption.Validate(parseResult.GetValue(webhook));
            var output = parseResult.InvocationConfiguration.Output;

            var personalizeOptions = new LocalPersonalizeOptions
            {
                DataDirectory = Path.GetFullPath(Path.Combine(directory, "personalize")),
                // One machine's S3 is the data folder: s3://BUCKET/KEY is <data-dir>/BUCKET/KEY, so the sample `pipeline up`
                // writes to <data-dir>/sample/ imports as s3://sample/interactions.csv.
                S3Root = Path.GetFullPath(directory),
                Lifecycle = parseResult.GetValue(realistic) ? LifecycleMode.Realistic : LifecycleMode.Immediate,
            };

            // `pipeline up` on this folder owns its Personalize and experiments: the stack runs the workflow.
            var stateMachineArn = $"arn:aws:states:{personalizeOptions.Region}:{personalizeOptions.AccountId}:stateMachine:{workflowName.ToLowerInvariant()}";
            string[] inProcessOptions = [.. new[]
            {
                scale != NightlyRetraining.WaitScale ? $"--wait-scale {scale.ToString(CultureInfo.InvariantCulture)}" : null,
                parseResult.GetValue(realistic) ? "--realistic" : null,
                webhookUrl is null ? null : "--alert-webhook",
            }.OfType<string>()];
            if (await RunningStackWorkflows.TryRunAsync(directory, stateMachineArn, inputJson, inProcessOptions, output, cancellationToken) is { } described)
            {
                await WriteDescriptionAsync(output, described);
                return described["status"]?.GetValue<string>() == "SUCCEEDED" ? 0 : 1;
            }
            await using var personalize = new LocalPersonalize(personalizeOptions);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var (log, alerts) = AlertWebhookOption.CreateSinks(directory, webhookUrl, http, parseResult.InvocationConfiguration.Error);
            var runner = new LocalWorkflowRunner(directory, personalize, personalizeOptions, alerts, scale);

            Execution execution;
            try
            {
                execution = await runner.RunAsync(workflowName, inputJson, cancellationToken);
            }
            catch (StatesLanguageDefinitionException e)
            {
                throw new CommandLineException($"the {workflowName} definition is invalid: {e.Message}");
            }
            await WriteDescriptionAsync(output, LocalExecutionStore.Describe(execution, workflowName));
            foreach (var alert in log.Alerts)
            {
                await output.WriteLineAsync($"alert:     {alert.Subject}: {alert.Message} (written to {log.Path}{(webhookUrl is null ? "" : $", posted to {webhookUrl}")})");
            }
            return execution.Status == ExecutionStatus.Succeeded ? 0 : 1;
        });
        return start;
    }

    private static JsonObject ReadInput(string? inputText, bool fromSchedule, string workflowName)
    {
        if (fromSchedule)
        {
            if (inputText is not null) throw new CommandLineException("give --input or --input-from-schedule, not both.");
            if (!string.Equals(workflowName, LocalWorkflows.Training, StringComparison.OrdinalIgnoreCase))
                throw new CommandLineException($"--input-from-schedule applies to {LocalWorkflows.Training}, which the nightly rule starts.");
            return TrainingScheduleDefinition.Load().Input;
        }
        JsonNode? inputJson;
        try
        {
            inputJson = JsonNode.Parse(inputText ?? "{}");
        }
        catch (JsonException e)
        {
            throw new CommandLineException($"--input is not JSON: {e.Message}");
        }
        return inputJson as JsonObject ?? throw new CommandLineException("--input must be a JSON object.");
    }

    private static Command CreateStatus()
    {
        var execution = new Argument<string>("execution") { Description = "The execution's name or ARN, as `workflow start` printed it." };
        var dataDir = DataDirOption();
        var status = new Command("status", "Status, output and error of a finished execution.") { execution, dataDir };
        status.SetAction(async (parseResult, cancellationToken) =>
        {
            var record = await FindAsync(parseResult.GetValue(dataDir)!, parseResult.GetValue(execution)!, cancellationToken);
            await WriteDescriptionAsync(parseResult.InvocationConfiguration.Output, record);
            return record["status"]?.GetValue<string>() == "SUCCEEDED" ? 0 : 1;
        });
        return status;
    }

    private static Command CreateHistory()
    {
        var execution = new Argument<string>("execution") { Description = "The execution's name or ARN." };
        var dataDir = DataDirOption();
        var json = new Option<bool>("--json") { Description = "Print GetExecutionHistory's response body ({\"events\": [...]})." };
        var history = new Command("history", "The execution's history events (as GetExecutionHistory returns them).") { execution, dataDir, json };
        history.SetAction(async (parseResult, cancellationToken) =>
        {
            var record = await FindAsync(parseResult.GetValue(dataDir)!, parseResult.GetValue(execution)!, cancellationToken);
            var events = record["history"] as JsonArray ?? [];
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(new JsonObject { ["events"] = events.DeepClone() }.ToJsonString(Indented));
                return 0;
            }
            foreach (var e in events)
            {
                var details = e!.AsObject().FirstOrDefault(member => member.Key.EndsWith("EventDetails", StringComparison.Ordinal)).Value;
                var state = details?["name"]?.GetValue<string>();
                var error = details?["error"]?.GetValue<string>();
                await output.WriteLineAsync($"{e["id"],4} {e["timestamp"]} {e["type"]}{(state is null ? "" : " " + state)}{(error is null ? "" : " " + error)}");
            }
            return 0;
        });
        return history;
    }

    private static async Task<JsonObject> FindAsync(string dataDir, string execution, CancellationToken cancellationToken) =>
        await new LocalExecutionStore(ExecutionsFolder(dataDir)).FindAsync(execution, cancellationToken)
            ?? throw new CommandLineException($"no execution '{execution}' in {ExecutionsFolder(dataDir)}.");

    private static async Task WriteDescriptionAsync(TextWriter output, JsonObject record)
    {
        await output.WriteLineAsync($"execution: {record["executionArn"]}");
        await output.WriteLineAsync($"status:    {record["status"]}");
        if (record["output"]?.GetValue<string>() is { } result)
            await output.WriteLineAsync($"output:    {result}");
        if (record["error"]?.GetValue<string>() is { } error)
            await output.WriteLineAsync($"error:     {error}");
        if (record["cause"]?.GetValue<string>() is { } cause)
            await output.WriteLineAsync($"cause:     {cause}");
    }
}
