using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Http;

namespace Pipeline.Adapters.Aws.StepFunctions;

/// <summary>
/// The Step Functions calls the API's workflow pages make, over AWS's JSON 1.0 protocol (<c>POST /</c> with
/// <c>X-Amz-Target: AWSStepFunctions.*</c>, signed for "states"): AWSSDK.StepFunctions is not available here. Requests
/// and answers are Step Functions' own members, untyped; dates come back as epoch seconds, as the wire carries them.
/// </summary>
public sealed class StepFunctionsClient(HttpClient http)
{
    public const string EndpointPrefix = "states";
    public const string SigningName = "states";

    /// <summary>The error Step Functions answers for an execution ARN it does not know.</summary>
    public const string ExecutionDoesNotExist = "ExecutionDoesNotExist";

    /// <summary>
    /// One page of executions, newest first: <c>executions</c> and maybe <c>nextToken</c>; only those in
    /// <paramref name="statusFilter"/> (one status, e.g. FAILED) when it is given.
    /// </summary>
    public Task<JsonObject> ListExecutionsAsync(string stateMachineArn, int maxResults, CancellationToken cancellationToken = default, string? statusFilter = null)
    {
        var request = new JsonObject { ["stateMachineArn"] = stateMachineArn, ["maxResults"] = maxResults };
        if (statusFilter is not null) request["statusFilter"] = statusFilter;
        return CallAsync("ListExecutions", request, cancellationToken);
    }

    public Task<JsonObject> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default) =>
        CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken);

    /// <summary>The definition the execution ran (the machine may have been updated since): <c>definition</c>, <c>name</c>…</summary>
    public Task<JsonObject> DescribeStateMachineForExecutionAsync(string executionArn, CancellationToken cancellationToken = default) =>
        CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken);

    /// <summary>The execution's events oldest first, following <c>nextToken</c> for at most <paramref name="maxEvents"/>.</summary>
    public async Task<JsonArray> GetExecutionHistoryAsync(string executionArn, int maxEvents, CancellationToken cancellationToken = default)
    {
        var events = new JsonArray();
        string? nextToken = null;
        do
        {
            var request = new JsonObject { ["executionArn"] = executionArn, ["maxResults"] = Math.Min(1000, maxEvents - events.Count) };
            if (nextToken is not null) request["nextToken"] = nextToken;
            var page = await CallAsync("GetExecutionHistory", request, cancellationToken);
            // A node belongs to one parent: each event is moved from the page to the result.
            var pageEvents = page["events"]?.AsArray() ?? [];
            while (pageEvents.Count > 0)
            {
                var item = pageEvents[0];
                pageEvents.RemoveAt(0);
                events.Add(item);
            }
            nextToken = page["nextToken"]?.GetValue<string>();
        }
        while (nextToken is not null && events.Count < maxEvents);
        return events;
    }

    /// <summary>StartExecution: <c>executionArn</c> and <c>startDate</c>; the name is left to Step Functions (a UUID).</summary>
    public Task<JsonObject> StartExecutionAsync(string stateMachineArn, string input, CancellationToken cancellationToken = default) =>
        CallAsync("StartExecution", new JsonObject { ["stateMachineArn"] = stateMachineArn, ["input"] = input }, cancellationToken);

    /// <summary>An execution's ARN from its machine's and its name (<c>…:execution:{machine}:{name}</c>).</summary>
    public static string ExecutionArn(string stateMachineArn, string name) =>
        stateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;

    private Task<JsonObject> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken) =>
        AwsJsonCalls.PostTargetAsync(http, $"AWSStepFunctions.{operation}", body, "application/x-amz-json-1.0", cancellationToken);
}
