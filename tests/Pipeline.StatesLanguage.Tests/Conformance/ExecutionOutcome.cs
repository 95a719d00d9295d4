using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Interpreter;

namespace Pipeline.StatesLanguage.Tests.Conformance;

/// <summary>
/// What the differential tests compare of one finished execution, from either executor. <see cref="OutputText"/> is
/// the output as DescribeExecution reports it: JSON text, which <see cref="Output"/> is parsed from (null when it is
/// not JSON).
/// </summary>
public sealed record ExecutionOutcome(string Status, string? OutputText, JsonNode? Output, string? Error, string? Cause, IReadOnlyList<string> History)
{
    public static ExecutionOutcome FromDescription(JsonObject description, IEnumerable<JsonObject> events)
    {
        var text = (string?)description["output"];
        return new((string)description["status"]!, text, ParseOrNull(text), (string?)description["error"], (string?)description["cause"], HistoryShape.Of(events));
    }

    public static ExecutionOutcome FromExecution(Execution execution) => new(
        execution.Status.ToAwsName(),
        execution.IsCompleted && execution.Status == ExecutionStatus.Succeeded ? (execution.Output?.ToJsonString() ?? "null") : null,
        execution.Output,
        execution.Error,
        execution.Cause,
        HistoryShape.Of(execution.History.Select(e => e.ToJson())));

    private static JsonNode? ParseOrNull(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public override string ToString() =>
        $"{Status} error={Error ?? "-"} cause={Cause ?? "-"}\n  output={OutputText ?? "-"}\n  history=[{string.Join(", ", History)}]";
}
