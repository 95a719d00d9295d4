using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>aws-popularity-count's artifact payload: the ranked item ids and their distinct-user counts.</summary>
public sealed class PopularityCountSerializer : IModelPayloadSerializer
{
    private const string EventTypeParameter = "eventType";

    public string Recipe => RecipeNames.PopularityCount;

    public IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model)
    {
        var popularity = Cast(model);
        return popularity.Options.EventType is { } eventType
            ? new Dictionary<string, string> { [EventTypeParameter] = eventType }
            : new Dictionary<string, string>();
    }

    public void Write(BinaryWriter payload, IRecommendationModel model)
    {
        var popularity = Cast(model);
        payload.Write(popularity.RankedItemIds.Count);
        for (var i = 0; i < popularity.RankedItemIds.Count; i++)
        {
            payload.Write(popularity.RankedItemIds[i]);
            payload.Write(popularity.DistinctUserCounts[i]);
        }
    }

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters)
    {
        var count = payload.ReadInt32();
        if (count < 0) throw new InvalidModelArtifactException($"popularity payload has a negative item count ({count})");
        var ids = new string[count];
        var counts = new int[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = payload.ReadString();
            counts[i] = payload.ReadInt32();
        }
        var options = new PopularityCountOptions(parameters.TryGetValue(EventTypeParameter, out var eventType) ? eventType : null);
        return new PopularityCountModel(ids, counts, options);
    }

    private static PopularityCountModel Cast(IRecommendationModel model) =>
        model as PopularityCountModel ?? throw new ArgumentException($"expected a {nameof(PopularityCountModel)}, got {model.GetType().Name}", nameof(model));
}
