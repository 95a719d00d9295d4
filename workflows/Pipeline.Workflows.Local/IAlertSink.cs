using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Local;

/// <summary>One notification a workflow published (what the SNS topic would have delivered).</summary>
public sealed record Alert(DateTimeOffset Time, string? TopicArn, string? Subject, string Message, string? ExecutionArn, string StateName)
{
    /// <summary>The message parsed as JSON when it is JSON (the workflows publish objects), otherwise null.</summary>
    public JsonNode? MessageJson
    {
        get
        {
            try
            {
                return JsonNode.Parse(Message);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The alert as the sinks write it: one JSON object (the message embedded as JSON when it is JSON).</summary>
    public JsonObject ToJson() => new()
    {
        ["time"] = Time.ToString("O"),
        ["topicArn"] = TopicArn,
        ["subject"] = Subject,
        ["message"] = MessageJson ?? JsonValue.Create(Message),
        ["execution"] = ExecutionArn,
        ["state"] = StateName,
    };
}

/// <summary>Where `sns:publish` goes when the workflows run locally.</summary>
public interface IAlertSink
{
    Task PublishAsync(Alert alert, CancellationToken cancellationToken);
}

/// <summary>Appends each alert as one JSON line to a file (when given) and keeps them in memory.</summary>
public sealed class FileAlertSink(string? path = null) : IAlertSink
{
    private readonly List<Alert> _alerts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string? Path { get; } = path;

    public IReadOnlyList<Alert> Alerts
    {
        get
        {
            lock (_alerts) return [.. _alerts];
        }
    }

    public async Task PublishAsync(Alert alert, CancellationToken cancellationToken)
    {
        lock (_alerts) _alerts.Add(alert);
        if (Path is null) return;
        var line = alert.ToJson().ToJsonString();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            await File.AppendAllTextAsync(Path, line + Environment.NewLine, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
