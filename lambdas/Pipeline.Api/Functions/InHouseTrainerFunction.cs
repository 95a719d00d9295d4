using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Storage;
using Pipeline.Engine.InHouse;

namespace Pipeline.Api.Functions;

/// <summary>
/// The training workflow's in-house trainer, a Lambda function invoked with <c>lambda:invoke</c>. Payload
/// <c>{dataset_group, import: {interactions?, items?, …}}</c>, the workflow's own input; answer <c>{status:
/// TRAINED|SKIPPED|FAILED, version, models, reason, error}</c> with <c>error</c> null unless it could not train: the Web
/// Adapter that hosts it on AWS cannot raise a named Lambda error, so the state machine branches on <c>error</c>, as for
/// the metric gate. This class is the function's JSON transport only: it reads the payload into
/// <see cref="InHouseTrainingHandler"/>'s typed request and writes its <see cref="InHouseTrainingResult"/>. The same class
/// answers on AWS (the pass-through path) and in the local interpreter (the CLI registers it under the function's name).
/// </summary>
public sealed class InHouseTrainerFunction(InHouseTrainingHandler trainer)
{
    public const string InvalidInput = "Pipeline.InvalidTrainerInput";

    public async Task<JsonObject> HandleJsonAsync(JsonNode? payload, CancellationToken cancellationToken = default) =>
        ToJson(TryRead(payload, out var request, out var invalid)
            ? await trainer.HandleAsync(request, cancellationToken)
            : InHouseTrainingResult.Failure(invalid, InvalidInput));

    /// <summary>The import's locations; <paramref name="reason"/> says what is wrong when the payload is not a request.</summary>
    public static bool TryRead(JsonNode? payload, out InHouseTrainingRequest request, out string reason)
    {
        request = new InHouseTrainingRequest(null, null);
        if (payload is not JsonObject input || input["import"] is not (null or JsonObject))
        {
            reason = "the payload must be an object {dataset_group, import: {interactions?, items?}}";
            return false;
        }
        var import = input["import"] as JsonObject;
        if (!TryLocation(import?["interactions"], out var interactions, out reason) || !TryLocation(import?["items"], out var items, out reason))
            return false;
        request = new InHouseTrainingRequest(interactions, items);
        return true;
    }

    public static JsonObject ToJson(InHouseTrainingResult result) => new()
    {
        ["status"] = result.Status,
        ["version"] = result.Version,
        ["models"] = new JsonArray([.. result.Models.Select(m => (JsonNode)JsonValue.Create(m))]),
        ["reason"] = result.Reason,
        ["error"] = result.Error,
    };

    private static bool TryLocation(JsonNode? node, out ObjectLocation? location, out string reason)
    {
        location = null;
        reason = "";
        if (node is null) return true;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && ObjectLocation.TryParse(value.GetValue<string>(), out var parsed))
        {
            location = parsed;
            return true;
        }
        reason = $"import locations must be s3://bucket/key strings (got {node.ToJsonString()})";
        return false;
    }
}
