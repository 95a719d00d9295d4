using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// The few Step Functions calls the differential tests need, over AWS's JSON 1.0 protocol (POST / with
/// X-Amz-Target AWSStepFunctions.*): AWSSDK.StepFunctions is not available here. Signing is the HttpClient's handler's job.
/// </summary>
public sealed class StepFunctionsClient(HttpClient http)
{
    public const string SigningName = "states";

    public async Task<string> CreateStateMachineAsync(string name, string definition, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = name,
            ["definition"] = definition,
            ["roleArn"] = "arn:aws:iam::123456789012:role/StatesExecutionRole",
        }, cancellationToken);
        return (string)response["stateMachineArn"]!;
    }

    public async Task<string> StartExecutionAsync(string stateMachineArn, string name, string input, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("StartExecution", new JsonObject
        {
            ["stateMachineArn"] = stateMachineArn,
            // moto names an unnamed execution "None"; naming it keeps ARNs distinct.
            ["name"] = name,
            ["input"] = input,
        }, cancellationToken);
        return (string)response["executionArn"]!;
    }

    public Task<JsonObject> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default) =>
        CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken);

    /// <summary>Every event of the execution, oldest first, following nextToken.</summary>
    public async Task<IReadOnlyList<JsonObject>> GetExecutionHistoryAsync(string executionArn, CancellationToken cancellationToken = default)
    {
        var events = new List<JsonObject>();
        string? nextToken = null;
        do
        {
            var request = new JsonObject { ["executionArn"] = executionArn, ["maxResults"] = 1000 };
            if (nextToken is not null)
            {
                request["nextToken"] = nextToken;
            }
            var page = await CallAsync("GetExecutionHistory", request, cancellationToken);
            events.AddRange(page["events"]!.AsArray().Select(e => e!.AsObject()));
            nextToken = (string?)page["nextToken"];
        }
        while (nextToken is not null);
        return events;
    }

    /// <summary>Polls DescribeExecution until the execution is no longer RUNNING.</summary>
    public async Task<JsonObject> WaitForCompletionAsync(string executionArn, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var description = await DescribeExecutionAsync(executionArn, deadline.Token);
            if ((string?)description["status"] != "RUNNING")
            {
                return description;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private async Task<JsonObject> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"AWSStepFunctions.{operation}");
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{operation} answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
        return JsonNode.Parse(text) as JsonObject ?? throw new HttpRequestException($"{operation} answered a body that is not a JSON object: {text}");
    }
}
