using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Api.Tests.Workflows;

/// <summary>
/// A FAKE of the Step Functions JSON 1.0 API on a loopback port (Kestrel), for what moto_server cannot do here:
/// executions that ended FAILED or TIMED_OUT with an error and a cause (moto runs no state and drops StopExecution's
/// error and cause). It answers ListExecutions (with <c>statusFilter</c> and <c>maxResults</c>, newest first) and
/// DescribeExecution from the executions a test seeds, with dates as epoch seconds like the wire, and records every
/// call (X-Amz-Target and body) so a test can check what the API asked. It does not check signatures.
/// </summary>
public sealed class FakeStepFunctions : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Operation, JsonObject Body)> _calls = new();
    private readonly List<JsonObject> _executions = [];

    private FakeStepFunctions(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<(string Operation, JsonObject Body)> Calls => _calls;

    public static async Task<FakeStepFunctions> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeStepFunctions(app);
        app.MapPost("/", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Endpoint = new Uri(address + "/");
        return fake;
    }

    /// <summary>Seeds an execution of <paramref name="stateMachineArn"/>; <paramref name="stopped"/> null means RUNNING.</summary>
    public string AddExecution(string stateMachineArn, string name, string status, DateTimeOffset started, DateTimeOffset? stopped,
        string? error = null, string? cause = null)
    {
        var arn = stateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;
        var execution = new JsonObject
        {
            ["executionArn"] = arn, ["stateMachineArn"] = stateMachineArn, ["name"] = name, ["status"] = status,
            ["startDate"] = started.ToUnixTimeMilliseconds() / 1000.0,
        };
        if (stopped is { } stop) execution["stopDate"] = stop.ToUnixTimeMilliseconds() / 1000.0;
        if (error is not null) execution["error"] = error;
        if (cause is not null) execution["cause"] = cause;
        lock (_executions) _executions.Add(execution);
        return arn;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith("AWSStepFunctions.", StringComparison.Ordinal) ? target["AWSStepFunctions.".Length..] : target;
        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        _calls.Enqueue((operation, body));
        List<JsonObject> executions;
        lock (_executions) executions = [.. _executions.Select(e => e.DeepClone().AsObject())];
        switch (operation)
        {
            case "ListExecutions":
            {
                var machine = body["stateMachineArn"]!.GetValue<string>();
                var status = body["statusFilter"]?.GetValue<string>();
                var max = body["maxResults"]?.GetValue<int>() ?? 100;
                var page = executions
                    .Where(e => e["stateMachineArn"]!.GetValue<string>() == machine && (status is null || e["status"]!.GetValue<string>() == status))
                    .OrderByDescending(e => e["startDate"]!.GetValue<double>())
                    .Take(max)
                    // ListExecutions leaves out what only DescribeExecution gives.
                    .Select(e => { e.Remove("error"); e.Remove("cause"); return (JsonNode)e; });
                return Json(new JsonObject { ["executions"] = new JsonArray([.. page]) });
            }
            case "DescribeExecution":
            {
                var arn = body["executionArn"]!.GetValue<string>();
                return executions.FirstOrDefault(e => e["executionArn"]!.GetValue<string>() == arn) is { } found
                    ? Json(found)
                    : Results.Text("""{"__type":"ExecutionDoesNotExist","message":"Execution Does Not Exist"}""", "application/x-amz-json-1.0", statusCode: 400);
            }
            default:
                return Results.Text($$"""{"__type":"UnknownOperationException","message":"the fake does not answer {{operation}}"}""",
                    "application/x-amz-json-1.0", statusCode: 400);
        }
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/x-amz-json-1.0");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
