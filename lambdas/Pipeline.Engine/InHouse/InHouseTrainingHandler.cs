using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Domain.Storage;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.InHouse;

/// <summary>
/// The training workflow's in-house trainer, a Lambda function invoked with <c>lambda:invoke</c> (and, on one machine,
/// the same class under the same FunctionName in the interpreter). Payload <c>{dataset_group, import: {interactions?,
/// items?, …}}</c>, the workflow's own input; it reads the interactions CSV the import names (or, without one, the one the
/// current manifest was trained on), trains each of <see cref="InHouseModelsOptions.Recipes"/> with the engine, writes
/// each model as a versioned artifact and then the manifest. Answer <c>{status: TRAINED|SKIPPED, version, models, reason,
/// error}</c>, <c>error</c> null unless it could not train (the Web Adapter cannot raise a named Lambda error, so the state
/// machine branches on it, as for the metric gate). Failures of the store itself are thrown: the task fails and is caught.
/// </summary>
public sealed class InHouseTrainingHandler(IObjectStore objects, InHouseModelsOptions options, TimeProvider time)
{
    public const string InvalidInput = "Pipeline.InvalidTrainerInput";
    public const string ImportNotFound = "Pipeline.ImportNotFound";
    public const string TrainingFailed = "Pipeline.InHouseTrainingFailed";

    public async Task<JsonObject> HandleJsonAsync(JsonNode? payload, CancellationToken cancellationToken = default)
    {
        if (payload is not JsonObject input || input["import"] is not (null or JsonObject))
            return Answer("FAILED", null, [], "the payload must be an object {dataset_group, import: {interactions?, items?}}", InvalidInput);
        var import = input["import"] as JsonObject;
        if (!TryLocation(import?["interactions"], out var interactions, out var invalid) || !TryLocation(import?["items"], out var items, out invalid))
            return Answer("FAILED", null, [], invalid, InvalidInput);

        // A folder import (an hour of archived events) is for Personalize; the in-house models retrain on their last file.
        if (interactions is { Key: var folder } && folder.EndsWith('/')) (interactions, items) = (null, null);
        if (interactions is null)
        {
            // No new import: retrain on the data the serving models came from, if there are any.
            var current = await objects.GetAsync(options.Bucket, options.ManifestKey, cancellationToken);
            if (current is null)
                return Answer("SKIPPED", null, [], "no import in the input and no earlier in-house training to retrain from", null);
            var manifest = ModelManifest.Parse(current);
            ObjectLocation.TryParse(manifest.Interactions, out var last);
            interactions = last;
            items = ObjectLocation.TryParse(manifest.Items, out var lastItems) ? lastItems : null;
        }

        var interactionsBytes = await objects.GetAsync(interactions.Value.Bucket, interactions.Value.Key, cancellationToken);
        if (interactionsBytes is null)
            return Answer("FAILED", null, [], $"{interactions} does not exist", ImportNotFound);
        var itemsBytes = items is { } itemsLocation ? await objects.GetAsync(itemsLocation.Bucket, itemsLocation.Key, cancellationToken) : null;
        if (items is not null && itemsBytes is null)
            return Answer("FAILED", null, [], $"{items} does not exist", ImportNotFound);

        TrainingData data;
        try
        {
            var dataset = InteractionsCsv.Read(new MemoryStream(interactionsBytes, writable: false), interactions.Value.ToString(), cancellationToken: cancellationToken);
            data = new TrainingData(dataset, itemsBytes is null ? null : ItemsCsv.Read(new MemoryStream(itemsBytes, writable: false), items!.Value.ToString()));
        }
        catch (CsvFormatException e)
        {
            return Answer("FAILED", null, [], e.Message, TrainingFailed);
        }

        var trainedAt = time.GetUtcNow();
        var fingerprint = data.Interactions.Fingerprint();
        var version = trainedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + fingerprint[^8..];
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in options.Recipes)
        {
            var recipe = RecipeCatalog.Default.Find(name) ?? throw new InvalidOperationException($"'{name}' is not a recipe the engine trains");
            IReadOnlyDictionary<string, string> hyperParameters = recipe.DefaultHyperParameters;
            Domain.Recommendations.IRecommendationModel model;
            try
            {
                model = recipe.Train(data, hyperParameters, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Answer("FAILED", version, [.. keys.Keys], $"{recipe.Name}: {e.Message}", TrainingFailed);
            }
            using var artifact = new MemoryStream();
            ModelArtifact.Create(model, fingerprint, trainedAt).Save(artifact);
            var key = $"{options.Prefix}{version}/{recipe.Name}.model";
            await objects.PutAsync(options.Bucket, key, artifact.ToArray(), "application/octet-stream", cancellationToken);
            keys[recipe.Name] = key;
        }
        var written = new ModelManifest(version, trainedAt, interactions.Value.ToString(), items?.ToString(), keys);
        await objects.PutAsync(options.Bucket, options.ManifestKey, written.ToJsonBytes(), "application/json", cancellationToken);
        return Answer("TRAINED", version, [.. keys.Keys], $"{keys.Count} models trained on {data.Interactions.Count} interactions", null);
    }

    private static bool TryLocation(JsonNode? node, out ObjectLocation? location, out string? error)
    {
        location = null;
        error = null;
        if (node is null) return true;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && ObjectLocation.TryParse(value.GetValue<string>(), out var parsed))
        {
            location = parsed;
            return true;
        }
        error = $"import locations must be s3://bucket/key strings (got {node.ToJsonString()})";
        return false;
    }

    private static JsonObject Answer(string status, string? version, IEnumerable<string> models, string? reason, string? error) => new()
    {
        ["status"] = status,
        ["version"] = version,
        ["models"] = new JsonArray([.. models.Select(m => (JsonNode)JsonValue.Create(m))]),
        ["reason"] = reason,
        ["error"] = error,
    };
}
