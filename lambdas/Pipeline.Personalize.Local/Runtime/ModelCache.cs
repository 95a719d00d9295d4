using System.Collections.Concurrent;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using Pipeline.Personalize.Local.Storage;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// Trained models by solution version ARN: kept in memory once trained or loaded, and read back from their artifact
/// after a restart. Campaigns on the same version share one instance, so real-time events reach all of them.
/// A model read back from its artifact first replays the events recorded since its training
/// (<paramref name="interactionsFile"/>: the version's interactions data, null when it has none).
/// </summary>
public sealed class ModelCache(DataPaths paths, ModelPayloadSerializers serializers, Func<string, string?>? interactionsFile = null,
    int maxRealtimeUsers = ServingOptions.DefaultMaxRealtimeUsers)
{
    private readonly ConcurrentDictionary<string, IRecommendationModel> _models = new(StringComparer.Ordinal);

    /// <summary>Keeps a freshly trained model and saves its artifact; returns false when the recipe has no serializer (the model then lives until restart).</summary>
    public bool Add(string solutionVersionArn, IRecommendationModel model, string trainingDataFingerprint, DateTimeOffset trainedAt)
    {
        (model as IRealtimeEvents)?.LimitUsers(maxRealtimeUsers);
        _models[solutionVersionArn] = model;
        try
        {
            ModelArtifact.Create(model, trainingDataFingerprint, trainedAt, serializers).Save(paths.ModelFile(solutionVersionArn), serializers);
            return true;
        }
        catch (InvalidModelArtifactException)
        {
            // A recipe without a payload serializer yet: serving works now, a restart will need retraining.
            return false;
        }
    }

    public IRecommendationModel? Find(string solutionVersionArn)
    {
        if (_models.TryGetValue(solutionVersionArn, out var model)) return model;
        var file = paths.ModelFile(solutionVersionArn);
        if (!File.Exists(file)) return null;
        return _models.GetOrAdd(solutionVersionArn, arn => Restore(arn, file));
    }

    private IRecommendationModel Restore(string solutionVersionArn, string file)
    {
        var model = ModelArtifact.Load(file, serializers).Model;
        (model as IRealtimeEvents)?.LimitUsers(maxRealtimeUsers);
        if (model is IRealtimeEvents learner && interactionsFile?.Invoke(solutionVersionArn) is { } data)
            RecordedEventsReplay.Replay(learner, data);
        return model;
    }

    public void Remove(string solutionVersionArn)
    {
        _models.TryRemove(solutionVersionArn, out _);
        var file = paths.ModelFile(solutionVersionArn);
        if (File.Exists(file)) File.Delete(file);
    }
}
