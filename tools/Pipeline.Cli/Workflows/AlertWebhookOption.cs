using System.CommandLine;
using Pipeline.Workflows.Local;

namespace Pipeline.Cli.Workflows;

/// <summary>
/// `--alert-webhook URL` (or the PIPELINE_ALERT_WEBHOOK environment variable): where alerts are POSTed besides
/// <c>&lt;data-dir&gt;/workflows/alerts.jsonl</c>.
/// </summary>
public static class AlertWebhookOption
{
    public const string EnvironmentVariable = "PIPELINE_ALERT_WEBHOOK";

    public static Option<string?> Create() => new("--alert-webhook")
    {
        Description = $"POST each workflow alert's JSON to this http(s) URL too (default: ${EnvironmentVariable}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url ? url : null,
    };

    /// <exception cref="CommandLineException">The URL is not an absolute http(s) URL.</exception>
    public static Uri? Validate(string? text) =>
        text is null ? null
        : WebhookAlertSink.ParseUrl(text, out var problem) ?? throw new CommandLineException($"--alert-webhook {problem}.");

    /// <summary>The alert log, plus the webhook when one is given. Delivery failures go to <paramref name="error"/>.</summary>
    public static (FileAlertSink Log, IAlertSink Sink) CreateSinks(string dataDirectory, Uri? webhook, HttpClient http, TextWriter error)
    {
        var log = new FileAlertSink(LocalWorkflowRunner.AlertsPath(dataDirectory));
        if (webhook is null) return (log, log);
        return (log, new CompositeAlertSink(log, new WebhookAlertSink(http, webhook, message => error.WriteLine($"warning: {message}"))));
    }
}
