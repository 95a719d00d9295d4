using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// One event of GetExecutionHistory: id, previousEventId, timestamp, type (e.g. TaskStateEntered, TaskScheduled,
/// MapIterationStarted, ExecutionFailed) and its details object under AWS's name (e.g. taskScheduledEventDetails).
/// As in AWS, input, output and parameters inside details are JSON text.
/// </summary>
public sealed record HistoryEvent(long Id, long PreviousEventId, DateTimeOffset Timestamp, string Type, string? DetailsName, JsonObject? Details)
{
    /// <summary>The state name of state entered/exited and Map iteration events.</summary>
    public string? StateName => Text("name");

    public string? Error => Text("error");

    public string? Cause => Text("cause");

    public string? ResourceType => Text("resourceType");

    public string? Resource => Text("resource");

    public JsonNode? Input => Json("input");

    public JsonNode? Output => Json("output");

    public JsonNode? Parameters => Json("parameters");

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["previousEventId"] = PreviousEventId,
            ["timestamp"] = JsonValues.FormatTimestamp(Timestamp),
            ["type"] = Type,
        };
        if (DetailsName is not null)
        {
            json[DetailsName] = Details?.DeepClone();
        }
        return json;
    }

    private string? Text(string field) => JsonValues.TryGetString(Details?[field], out var text) ? text : null;

    private JsonNode? Json(string field) => Text(field) is { } text ? JsonNode.Parse(text) : null;
}
