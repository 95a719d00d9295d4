using System.Collections.Frozen;
using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Api.Console.Pages;

namespace Pipeline.Api.Apis;

/// <summary>
/// The operator console under <c>/console</c>: server-rendered pages (Razor components, static rendering) whose scripts
/// read the API's own admin endpoints, and their assets, embedded in this assembly (no CDN). One group, so the admin
/// protection attaches once.
/// </summary>
public static class ConsoleApi
{
    private const string AssetPrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary();

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    public static RouteGroupBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/console").WithTags("admin").ExcludeFromDescription();
        // Relative, so a stage prefix in front of the API (API Gateway's /prod) is kept.
        group.MapGet("/", () => TypedResults.Redirect("console/experiments"));
        group.MapGet("/experiments", (HttpContext http) => Page<ExperimentsPage>(http));
        group.MapGet("/experiments/new", (HttpContext http) => Page<ExperimentFormPage>(http));
        group.MapGet("/experiments/{key}", (string key, HttpContext http) => Page<ExperimentPage>(http, ("Key", key)));
        group.MapGet("/experiments/{key}/edit", (string key, HttpContext http) => Page<ExperimentFormPage>(http, ("Key", key)));
        group.MapGet("/models", (HttpContext http) => Page<ModelsPage>(http));
        group.MapGet("/workflows", (HttpContext http) => Page<WorkflowsPage>(http));
        group.MapGet("/workflows/{name}", (string name, HttpContext http) => Page<WorkflowExecutionPage>(http, ("Name", name)));
        group.MapGet("/live", (HttpContext http) => Page<LivePage>(http));
        group.MapGet("/assets/{file}", Asset);
        return group;
    }

    private static RazorComponentResult<TPage> Page<TPage>(HttpContext http, params (string Name, object? Value)[] parameters)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var values = parameters.ToDictionary(p => p.Name, p => p.Value);
        values["Root"] = RootOf(http.Request.Path);
        return new RazorComponentResult<TPage>(values);
    }

    /// <summary>From <c>/console/experiments/x</c> back to the API's root: <c>../../</c>.</summary>
    public static string RootOf(PathString path)
    {
        var segments = (path.Value ?? "").Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
        return string.Concat(Enumerable.Repeat("../", Math.Max(1, segments - 1)));
    }

    private static IResult Asset(string file, HttpContext http)
    {
        var stream = typeof(ConsoleApi).Assembly.GetManifestResourceStream(AssetPrefix + file);
        if (stream is null || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType))
        {
            stream?.Dispose();
            return TypedResults.NotFound();
        }
        // Assets change only with a new build: a short cache keeps page loads fast without stale scripts after a deploy.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Stream(stream, contentType);
    }
}
