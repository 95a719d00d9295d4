using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
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
        services.AddSingleton<ConsoleWarmUp>();
        services.AddSingleton<IStartupFilter>(provider => provider.GetRequiredService<ConsoleWarmUp>());
        return services;
    }

    public static RouteGroupBuilder MapConsoleApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/console").WithTags("admin").ExcludeFromDescription();
        // Server-Timing: the time from the route's handler to the response's first byte (the page's render), so the
        // browser's timing entries (and the browser tests) tell the server's share of a first paint from the rest.
        group.AddEndpointFilter(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var response = context.HttpContext.Response;
            response.OnStarting(() =>
            {
                response.Headers.Append("Server-Timing",
                    $"render;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)}");
                return Task.CompletedTask;
            });
            return await next(context);
        });
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

    /// <summary>
    /// One of each page the console serves (and its assets): <see cref="WarmUpAsync"/> requests them so that the first
    /// operator's request does not pay for compiling the Razor components and the rendering path (JIT).
    /// </summary>
    public static IReadOnlyList<string> WarmUpPaths { get; } =
    [
        "console/experiments", "console/experiments/new", "console/experiments/warm-up", "console/experiments/warm-up/edit",
        "console/models", "console/workflows", "console/workflows/warm-up", "console/live",
        .. typeof(ConsoleApi).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(AssetPrefix, StringComparison.Ordinal))
            .Select(n => "console/assets/" + n[AssetPrefix.Length..]),
    ];

    /// <summary>
    /// Renders every console page and asset twice (the second round is the JIT's tier-0 code already in place) through
    /// the started app's request pipeline, in-process (<see cref="ConsoleWarmUp"/>: with API keys configured the process
    /// has no key to send over HTTP; these requests need none, and no request from a socket can pass for one).
    /// `pipeline up` calls it before it prints the console's URL and before its first training starts competing for
    /// the cores. Returns what each path answered and the time it took.
    /// </summary>
    /// <param name="services">The started app's services (<c>app.Services</c>).</param>
    public static Task<ConsoleWarmUpReport> WarmUpAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<ConsoleWarmUp>().RunAsync(services, WarmUpPaths, cancellationToken);

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

/// <summary>What one warmed path answered (200 with a body: rendered).</summary>
public sealed record ConsoleWarmUpPath(string Path, int Status, long Bytes)
{
    public bool Rendered => Status == StatusCodes.Status200OK && Bytes > 0;

    public bool IsAsset => Path.StartsWith("console/assets/", StringComparison.Ordinal);
}

/// <summary>The warm-up's outcome: each path's answer and the time both rounds took.</summary>
public sealed record ConsoleWarmUpReport(IReadOnlyList<ConsoleWarmUpPath> Paths, TimeSpan Elapsed)
{
    public IReadOnlyList<ConsoleWarmUpPath> NotRendered => [.. Paths.Where(p => !p.Rendered)];

    /// <summary>One line for the operator: what was rendered, or which paths were not and what they answered.</summary>
    public string Describe()
    {
        var seconds = Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        if (NotRendered.Count == 0)
        {
            return $"Console warm-up: {Paths.Count(p => !p.IsAsset)} pages and {Paths.Count(p => p.IsAsset)} assets rendered twice in {seconds} s";
        }
        return $"Console warm-up: {NotRendered.Count} of {Paths.Count} paths not rendered " +
            $"({string.Join(", ", NotRendered.Select(p => $"{p.Path}: {p.Status}"))}); the first request to each pays for its first render";
    }
}
