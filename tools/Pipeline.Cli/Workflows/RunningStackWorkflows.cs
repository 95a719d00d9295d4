using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// `pipeline workflow start` while `pipeline up` runs on the same data folder: StartExecution at the stack's Step
/// Functions endpoint (<see cref="LocalStepFunctionsServer"/>), then DescribeExecution until the execution ends, as a
/// client of the service on AWS would; so the run uses the stack's Personalize and experiments, and what it promotes
/// is served by the stack's API.
/// </summary>
public static class RunningStackWorkflows
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The finished execution's description, or null when no stack runs on the folder (nothing was started).</summary>
    /// <param name="inProcessOptions">
    /// The options given that only a run in this process can apply (the stack runs with its own wait scale, lifecycle and
    /// alert sinks): when a stack answers, they are refused before anything starts rather than silently ignored.
    /// </param>
    public static async Task<JsonObject?> TryRunAsync(string dataDirectory, string stateMachineArn, JsonObject input,
        IReadOnlyList<string> inProcessOptions, TextWriter output, CancellationToken cancellationToken)
    {
        var path = LocalStepFunctionsServer.EndpointPath(dataDirectory);
        if (!File.Exists(path)) return null;
        var endpoint = new Uri((await File.ReadAllTextAsync(path, cancellationToken)).Trim());
        using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        if (inProcessOptions.Count > 0 && await AnswersAsync(http, cancellationToken))
            throw new CommandLineException($"`pipeline up` runs on {dataDirectory} and runs the workflow with its own settings: " +
                $"{string.Join(", ", inProcessOptions)} cannot apply there; leave {(inProcessOptions.Count == 1 ? "it" : "them")} out, or stop the stack.");
        JsonObject started;
        try
        {
            started = await CallAsync(http, "StartExecution",
                new JsonObject { ["stateMachineArn"] = stateMachineArn, ["input"] = input.ToJsonString() }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // A stack that ended without removing its file (killed): nothing holds the folder, so this process may.
            await output.WriteLineAsync($"No stack answers at {endpoint} ({e.Message}); running the workflow in this process.");
            return null;
        }
        var executionArn = started["executionArn"]!.GetValue<string>();
        await output.WriteLineAsync($"Started on the running stack (Step Functions at {endpoint}): {executionArn}");
        while (true)
        {
            JsonObject description;
            try
            {
                description = await CallAsync(http, "DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                // The stack stopped (Ctrl+C, SIGTERM, killed) while the execution ran: stopping aborts what it runs.
                return new JsonObject
                {
                    ["executionArn"] = executionArn,
                    ["status"] = "ABORTED",
                    ["cause"] = $"the stack at {endpoint} stopped answering while the execution ran ({e.Message}); a stack that stops aborts the executions it runs",
                };
            }
            if (description["status"]?.GetValue<string>() != "RUNNING") return description;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await http.GetAsync("/", cancellationToken);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<JsonObject> CallAsync(HttpClient http, string operation, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(LocalStepFunctionsServer.ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSStepFunctions." + operation);
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject ?? [];
        if (!response.IsSuccessStatusCode)
            throw new CommandLineException($"the running stack refused {operation}: {answer["__type"]}: {answer["message"]}");
        return answer;
    }
}
