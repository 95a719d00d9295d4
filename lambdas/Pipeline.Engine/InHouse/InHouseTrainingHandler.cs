using System.Globalization;
using Pipeline.Domain.Storage;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.InHouse;

/// <summary>
/// The training workflow's in-house trainer: it reads the interactions CSV the request names (or, without one, the one the
/// current manifest was trained on), trains each of <see cref="InHouseModelsOptions.Recipes"/> with the engine, writes
/// each model as a versioned artifact and then the manifest. The answer's <c>Error</c> is null unless it could not train.
/// Failures of the store itself are thrown: the task fails and is caught. The Lambda function's JSON transport (payload
/// <c>{dataset_group, import}</c> in, the result out) is Pipeline.Api's InHouseTrainerFunction, on AWS and on one machine.
/// </summary>
public sealed class InHouseTrainingHandler(IObjectStore objects, InHouseModelsOptions options, TimeProvider time)
{
    public const string ImportNotFound = "Pipeline.ImportNotFound";
    public const string TrainingFailed = "Pipeline.InHouseTrainingFailed";

    public async Task<InHouseTrainingResult> HandleAsync(InHouseTrainingRequest request, CancellationToken cancellationToken = default)
    {
        var (interactions, items) = (request.Interactions, request.Items);
        // A folder import (an hour of archived events) is for Personalize; the in-house models retrain on their last file.
        if (interactions is { Key: var folder } && folder.EndsWith('/')) (interactions, items) = (null, null);
        if (interactions is null)
        {
            // No new import: retrain on the data the serving models came from, if there are any.
            var current = await objects.GetAsync(options.Bucket, options.ManifestKey, cancellationToken);
            if (current is null)
                return new(InHouseTrainingResult.Skipped, null, [], "no import in the input and no earlier in-house training to retrain from", null);
            var manifest = ModelManifest.Parse(current);
            ObjectLocation.TryParse(manifest.Interactions, out var last);
            interactions = last;
            items = ObjectLocation.TryParse(manifest.Items, out var lastItems) ? lastItems : null;
        }

        var interactionsBytes = await objects.GetAsync(interactions.Value.Bucket, interactions.Value.Key, cancellationToken);
        if (interactionsBytes is null)
            return InHouseTrainingResult.Failure($"{interactions} does not exist", ImportNotFound);
        var itemsBytes = items is { } itemsLocation ? await objects.GetAsync(itemsLocation.Bucket, itemsLocation.Key, cancellationToken) : null;
        if (items is not null && itemsBytes is null)
            return InHouseTrainingResult.Failure($"{items} does not exist", ImportNotFound);

        TrainingData data;
        try
        {
            var dataset = InteractionsCsv.Read(new MemoryStream(interactionsBytes, writable: false), interactions.Value.ToString(), cancellationToken: cancellationToken);
            data = new TrainingData(dataset, itemsBytes is null ? null : ItemsCsv.Read(new MemoryStream(itemsBytes, writable: false), items!.Value.ToString()));
        }
        catch (CsvFormatException e)
        {
            return InHouseTrainingResult.Failure(e.Message, TrainingFailed);
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
                return InHouseTrainingResult.Failure($"{recipe.Name}: {e.Message}", TrainingFailed, version, [.. keys.Keys]);
            }
            using var artifact = new MemoryStream();
            ModelArtifact.Create(model, fingerprint, trainedAt).Save(artifact);
            var key = $"{options.Prefix}{version}/{recipe.Name}.model";
            await objects.PutAsync(options.Bucket, key, artifact.ToArray(), "application/octet-stream", cancellationToken);
            keys[recipe.Name] = key;
        }
        var written = new ModelManifest(version, trainedAt, interactions.Value.ToString(), items?.ToString(), keys);
        await objects.PutAsync(options.Bucket, options.ManifestKey, written.ToJsonBytes(), "application/json", cancellationToken);
        return new(InHouseTrainingResult.Trained, version, [.. keys.Keys], $"{keys.Count} models trained on {data.Interactions.Count} interactions", null);
    }
}
