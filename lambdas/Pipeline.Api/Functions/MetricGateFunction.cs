using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Training;

namespace Pipeline.Api.Functions;

/// <summary>
/// The training workflow's metric gate, a Lambda function invoked with <c>lambda:invoke</c>. Payload
/// <c>{metric, min_improvement, candidate: {metric: value…}, served: {metric: value…} | null}</c> (candidate and served are
/// GetSolutionMetrics' <c>Metrics</c>); answer <c>{promote, reason, error}</c> with <c>error</c> null unless the gate could not
/// decide (a missing metric, a malformed payload): the Web Adapter that hosts it on AWS cannot raise a named Lambda error,
/// so the state machine branches on <c>error</c>. This class is the function's JSON transport only: it reads the payload
/// into <see cref="PromotionRule"/>'s typed arguments and writes its <see cref="GateDecision"/>. The same class answers on
/// AWS (the pass-through path) and in the local interpreter (the CLI registers it under the function's name).
/// </summary>
public sealed class MetricGateFunction(PromotionRule rule)
{
    public GateDecision Handle(JsonNode? payload)
    {
        if (payload is not JsonObject input)
        {
            return Invalid("the payload must be a JSON object {metric, min_improvement, candidate, served}");
        }
        if (!PayloadValues.TryNonEmptyString(input["metric"], out var metric))
        {
            return Invalid("metric must be a string: the GetSolutionMetrics name to compare");
        }
        if (!TryNumber(input["min_improvement"], out var minImprovement) || minImprovement < 0)
        {
            return Invalid("min_improvement must be a number >= 0");
        }
        if (input["candidate"] is not JsonObject candidate)
        {
            return Invalid("candidate must be an object: the new version's metrics");
        }
        var served = input["served"];
        if (served is not null and not JsonObject)
        {
            return Invalid("served must be an object (the served version's metrics) or null");
        }
        return rule.Decide(metric, minImprovement, Metrics(candidate), served is JsonObject s ? Metrics(s) : null);
    }

    public JsonObject HandleJson(JsonNode? payload) => ToJson(Handle(payload));

    /// <summary>As an invoke handler: the gate does no I/O, so the answer is ready at once.</summary>
    public Task<JsonObject> HandleJsonAsync(JsonNode? payload, CancellationToken cancellationToken = default) => Task.FromResult(HandleJson(payload));

    public static JsonObject ToJson(GateDecision decision) => new()
    {
        ["promote"] = decision.Promote,
        ["reason"] = decision.Reason,
        ["error"] = decision.Error,
    };

    private static GateDecision Invalid(string reason) => new(false, reason, GateDecision.InvalidGateInput);

    /// <summary>Each metric as a decimal; a value that is not a number counts as missing.</summary>
    private static Dictionary<string, decimal?> Metrics(JsonObject metrics) =>
        metrics.ToDictionary(m => m.Key, m => TryNumber(m.Value, out var value) ? value : (decimal?)null, StringComparer.Ordinal);

    // Numbers arrive parsed from text (decimal-readable) or built in memory from doubles (the local service's metrics).
    private static bool TryNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        if (v.TryGetValue(out value)) return true;
        if (v.TryGetValue(out double d) && double.IsFinite(d) && Math.Abs(d) < 1e15)
        {
            value = (decimal)d;
            return true;
        }
        if (v.TryGetValue(out long l))
        {
            value = l;
            return true;
        }
        if (v.TryGetValue(out int i))
        {
            value = i;
            return true;
        }
        return false;
    }
}
