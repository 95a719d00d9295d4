using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// The running stack's Step Functions on loopback: StartExecution and DescribeExecution in the service's JSON 1.0
/// protocol (<c>POST /</c>, <c>X-Amz-Target: AWSStepFunctions.…</c>), so `pipeline workflow start` (and
/// <c>aws stepfunctions start-execution --endpoint-url …</c>) ask the stack to run a workflow, as they would ask the
/// service on AWS, instead of opening a second Personalize on the same files. Its URL is written to
/// <see cref="EndpointPath"/> while it runs. Executions run on the stack's runner, after the first import.
/// </summary>
public sealed class LocalStepFunctionsServer : IAsyncDisposable
{
    public const string ContentType = "application/x-amz-json-1.0";
    private const string TargetPrefix = "AWSStepFunctions.";

    private readonly WebApplication _app;
    private readonly LocalWorkflowRunner _runner;
    private readonly Task _runAfter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Started> _started = new(StringComparer.Ordinal);
    private readonly string _endpointPath;

    private LocalStepFunctionsServer(LocalWorkflowRunner runner, Task runAfter)
    {
        _runner = runner;
        _runAfter = runAfter;
        _endpointPath = EndpointPath(runner.DataDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/", (Func<HttpContext, Task<IResult>>)HandleAsync);
    }

    /// <summary>Where the running stack writes this endpoint's URL: <c>&lt;data-dir&gt;/workflows/stepfunctions-endpoint</c>.</summary>
    public static string EndpointPath(string dataDirectory) => Path.Combine(dataDirectory, "workflows", "stepfunctions-endpoint");

    public Uri Endpoint { get; private set; } = null!;

    /// <param name="runAfter">Work executions wait for first (the first import), as the nightly runs do.</param>
    public static async Task<LocalStepFunctionsServer> StartAsync(LocalWorkflowRunner runner, Task runAfter, CancellationToken cancellationToken)
    {
        var server = new LocalStepFunctionsServer(runner, runAfter);
        await server._app.StartAsync(cancellationToken);
        server.Endpoint = new Uri(server._app.Urls.First());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(server._endpointPath))!);
        await File.WriteAllTextAsync(server._endpointPath, server.Endpoint.ToString(), cancellationToken);
        return server;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            return Error(http, "SerializationException", e.Message);
        }
        try
        {
            return target switch
            {
                TargetPrefix + "StartExecution" => Ok(Epochs(Start(body))),
                TargetPrefix + "DescribeExecution" => Ok(await DescribeAsync(body, http.RequestAborted)),
                _ => Error(http, "UnknownOperationException", $"X-Amz-Target '{target}' is not served here (StartExecution, DescribeExecution)."),
            };
        }
        catch (StepFunctionsException e)
        {
            return Error(http, e.Type, e.Message);
        }
    }

    private JsonObject Start(JsonObject body)
    {
        var stateMachineArn = Text(body, "stateMachineArn") ?? throw new StepFunctionsException("ValidationException", "stateMachineArn is required.");
        var workflow = stateMachineArn[(stateMachineArn.LastIndexOf(':') + 1)..];
        if (stateMachineArn != StateMachineArn(workflow) || !LocalWorkflows.Definitions.ContainsKey(workflow))
            throw new StepFunctionsException("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{stateMachineArn}' (here: {string.Join(", ", LocalWorkflows.Definitions.Keys.Select(StateMachineArn))}).");
        JsonObject input;
        try
        {
            input = JsonNode.Parse(Text(body, "input") ?? "{}") as JsonObject ?? throw new StepFunctionsException("InvalidExecutionInput", "The input must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new StepFunctionsException("InvalidExecutionInput", $"Invalid execution input: {e.Message}");
        }
        return StartExecution(workflow, input, Text(body, "name"));
    }

    /// <summary>Starts one of <see cref="LocalWorkflows"/> on the stack's runner (after the first import): <c>executionArn</c>, <c>name</c>, <c>startDate</c>.</summary>
    public JsonObject StartExecution(string workflow, JsonObject input, string? name = null)
    {
        name ??= LocalExecutionStore.NewExecutionName();
        var options = _runner.PersonalizeOptions;
        var executionArn = $"arn:aws:states:{options.Region}:{options.AccountId}:execution:{workflow}:{name}";
        var startDate = DateTimeOffset.UtcNow;
        var started = new Started(workflow, name, input, startDate, new Lazy<Task<Execution>>(() => RunAsync(workflow, input, name)));
        if (!_started.TryAdd(executionArn, started) || File.Exists(Path.Combine(_runner.Executions.Folder, name + ".json")))
            throw new StepFunctionsException("ExecutionAlreadyExists", $"Execution Already Exists: '{executionArn}'");
        _ = started.Run.Value;
        return new JsonObject { ["executionArn"] = executionArn, ["name"] = name, ["startDate"] = startDate.ToString("O") };
    }

    /// <summary>The executions started here that have not been saved yet (running, or ended by the stack's stop), as <see cref="LocalExecutionStore"/> records.</summary>
    public IEnumerable<JsonObject> Running() =>
        _started.Where(s => !s.Value.Run.Value.IsCompletedSuccessfully).Select(s => new JsonObject
        {
            ["executionArn"] = s.Key,
            ["stateMachineArn"] = StateMachineArn(s.Value.Workflow),
            ["stateMachine"] = s.Value.Workflow,
            ["name"] = s.Value.Name,
            ["status"] = s.Value.Run.Value.IsCompleted ? "ABORTED" : "RUNNING",
            ["startDate"] = s.Value.StartDate.ToString("O"),
            ["input"] = s.Value.Input.ToJsonString(),
        });

    private async Task<Execution> RunAsync(string workflow, JsonObject input, string name)
    {
        await Task.Yield();
        await _runAfter.WaitAsync(_stopping.Token);
        return await _runner.RunAsync(workflow, input, _stopping.Token, name);
    }

    private async Task<JsonObject> DescribeAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var executionArn = Text(body, "executionArn") ?? throw new StepFunctionsException("ValidationException", "executionArn is required.");
        if (_started.TryGetValue(executionArn, out var started) && !started.Run.Value.IsCompletedSuccessfully)
        {
            var run = started.Run.Value;
            var description = new JsonObject
            {
                ["executionArn"] = executionArn,
                ["stateMachineArn"] = StateMachineArn(started.Workflow),
                ["name"] = started.Name,
                ["status"] = run.IsCompleted ? "ABORTED" : "RUNNING",
                ["startDate"] = EpochSeconds(started.StartDate),
                ["input"] = started.Input.ToJsonString(),
            };
            if (run.IsFaulted) description["cause"] = run.Exception!.GetBaseException().Message;
            return description;
        }
        // Finished here or in an earlier process: the saved record (DescribeExecution's members plus the history).
        var record = await _runner.Executions.FindAsync(executionArn, cancellationToken)
            ?? throw new StepFunctionsException("ExecutionDoesNotExist", $"Execution Does Not Exist: '{executionArn}'");
        var answer = new JsonObject();
        foreach (var (key, value) in record)
        {
            if (key is "history" or "stateMachine" || value is null) continue;
            answer[key] = key is "startDate" or "stopDate" && DateTimeOffset.TryParse(value.GetValue<string>(), out var when)
                ? EpochSeconds(when)
                : value.DeepClone();
        }
        return answer;
    }

    // The JSON 1.0 protocol's dates are epoch seconds.
    private static JsonObject Epochs(JsonObject started)
    {
        started["startDate"] = EpochSeconds(DateTimeOffset.Parse(started["startDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        started.Remove("name");
        return started;
    }

    private string StateMachineArn(string workflow) =>
        $"arn:aws:states:{_runner.PersonalizeOptions.Region}:{_runner.PersonalizeOptions.AccountId}:stateMachine:{workflow}";

    private static double EpochSeconds(DateTimeOffset when) => when.ToUnixTimeMilliseconds() / 1000.0;

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static IResult Ok(JsonObject body) => TypedResults.Text(body.ToJsonString(), ContentType, Encoding.UTF8, StatusCodes.Status200OK);

    private static IResult Error(HttpContext http, string type, string message)
    {
        http.Response.Headers["x-amzn-ErrorType"] = type;
        return TypedResults.Text(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(), ContentType, Encoding.UTF8, StatusCodes.Status400BadRequest);
    }

    /// <summary>Stops taking requests, removes the endpoint file and cancels executions still running (they end ABORTED).</summary>
    public async ValueTask DisposeAsync()
    {
        if (File.Exists(_endpointPath) && await File.ReadAllTextAsync(_endpointPath) == Endpoint?.ToString())
            File.Delete(_endpointPath);
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _stopping.CancelAsync();
        foreach (var started in _started.Values)
        {
            try
            {
                await started.Run.Value;
            }
            catch (OperationCanceledException)
            {
                // Cancelled with the stack.
            }
        }
        _stopping.Dispose();
    }

    private sealed record Started(string Workflow, string Name, JsonObject Input, DateTimeOffset StartDate, Lazy<Task<Execution>> Run);

    private sealed class StepFunctionsException(string type, string message) : Exception(message)
    {
        public string Type { get; } = type;
    }
}
