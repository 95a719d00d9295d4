using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Api.Http;
using Pipeline.Api.Workflows;
using Pipeline.DeploymentContract;

namespace Pipeline.Api.Apis;

/// <summary>
/// The workflows admin API the console reads: executions of the training and teardown machines, one execution's
/// history, starting a run, the nightly schedule and recent alerts. Bodies keep Step Functions' camelCase members.
/// </summary>
public static class WorkflowsApi
{
    private const int RecentAlerts = 10;

    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/workflows").WithTags("admin");
        group.MapGet("/", ListAsync).WithName("ListWorkflowExecutions");
        group.MapGet("/executions/{name}", DescribeAsync).WithName("DescribeWorkflowExecution");
        group.MapGet("/executions/{name}/graph", GraphAsync).WithName("WorkflowExecutionGraph");
        group.MapPost("/{workflow}/executions", StartAsync).WithName("StartWorkflowExecution");
        return group;
    }

    private static async Task<IResult> ListAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Find(services) is not { } workflows) return NotServed();
        var body = new JsonObject
        {
            ["workflows"] = new JsonArray([.. workflows.Workflows.Select(w => JsonValue.Create(w))]),
            ["schedule"] = workflows.Schedule(),
            ["executions"] = await workflows.ListAsync(cancellationToken),
            ["alerts"] = await workflows.AlertsAsync(RecentAlerts, cancellationToken),
        };
        if (workflows.AlertsNote is { } note) body["alertsNote"] = note;
        return Json(body);
    }

    private static async Task<IResult> DescribeAsync(string name, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Find(services) is not { } workflows) return NotServed();
        return await workflows.DescribeAsync(name, cancellationToken) is { } execution
            ? Json(execution)
            : NoSuchExecution(name);
    }

    /// <summary>The definition the execution ran, laid out as an SVG (<see cref="StateGraphSvg"/>); the page marks the path on it.</summary>
    private static async Task<IResult> GraphAsync(string name, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Find(services) is not { } workflows) return NotServed();
        if (await workflows.DescribeAsync(name, cancellationToken) is not { } execution) return NoSuchExecution(name);
        if (execution["definition"]?.GetValue<string>() is not { } text || JsonNode.Parse(text) is not JsonObject definition)
            return Problems.Create(StatusCodes.Status404NotFound, "Not found", $"The definition execution '{name}' ran is not known here.");
        var svg = StateGraphSvg.Render(StateGraphLayout.Layout(definition), $"States of {execution["stateMachine"]} as defined for execution {name}");
        return Results.Text(svg, "image/svg+xml");
    }

    private static async Task<IResult> StartAsync(string workflow, HttpRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (Find(services) is not { } workflows) return NotServed();
        if (!workflows.Workflows.Contains(workflow, StringComparer.Ordinal))
            return Problems.Validation("workflow", $"Unknown workflow '{workflow}'; known: {string.Join(", ", workflows.Workflows)}.");
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Problems.Validation("body", $"The body is not JSON: {e.Message}");
        }
        if (body is not JsonObject { } envelope || envelope["input"] is not JsonObject input)
            return Problems.Validation("input", "Send {\"input\": {...}}: the execution's input, a JSON object.");
        var started = await workflows.StartAsync(workflow, (JsonObject)input.DeepClone(), cancellationToken);
        return Results.Text(started.ToJsonString(), "application/json", statusCode: StatusCodes.Status202Accepted);
    }

    private static IWorkflowExecutions? Find(IServiceProvider services) => services.GetService<IWorkflowExecutions>();

    private static IResult Json(JsonNode body) => Results.Text(body.ToJsonString(), "application/json");

    private static IResult NoSuchExecution(string name) =>
        Problems.Create(StatusCodes.Status404NotFound, "Not found", $"No execution named '{name}'.");

    private static IResult NotServed() => Problems.Create(StatusCodes.Status501NotImplemented, "Not served here",
        $"This API knows no workflows (on AWS the infra sets {EnvironmentVariables.TrainingStateMachineArn}): use the Step Functions console or `aws stepfunctions list-executions`.");
}
