using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Models;
using RecipeNames = Pipeline.Domain.Recommendations.Recipes;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// aws-trending-now's artifact payload: the end of the latest interval and each item's recent, previous and
/// total counts; the ranking is recomputed from them on load (it is a sort of a few arrays).
/// </summary>
public sealed class TrendingNowSerializer : IModelPayloadSerializer
{
    public string Recipe => RecipeNames.TrendingNow;

    public IReadOnlyDictionary<string, string> Parameters(IRecommendationModel model) => Cast(model).Options.ToHyperParameters();

    public void Write(BinaryWriter payload, IRecommendationModel model)
    {
        var trending = Cast(model);
        payload.Write(trending.WindowEnd);
        PayloadColumns.WriteStrings(payload, trending.ItemIds);
        PayloadColumns.WriteInts(payload, [.. trending.RecentCounts]);
        PayloadColumns.WriteInts(payload, [.. trending.PreviousCounts]);
        PayloadColumns.WriteInts(payload, [.. trending.TotalCounts]);
    }

    public IRecommendationModel Read(BinaryReader payload, IReadOnlyDictionary<string, string> parameters)
    {
        var windowEnd = payload.ReadInt64();
        var itemIds = PayloadColumns.ReadStrings(payload, "item ids");
        var recent = PayloadColumns.ReadInts(payload, "recent counts");
        var previous = PayloadColumns.ReadInts(payload, "previous counts");
        var total = PayloadColumns.ReadInts(payload, "total counts");
        try
        {
            return new TrendingNowModel(itemIds, recent, previous, total, windowEnd, TrendingNowOptions.FromHyperParameters(parameters));
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelArtifactException($"trending payload: {e.Message}", e);
        }
    }

    private static TrendingNowModel Cast(IRecommendationModel model) =>
        model as TrendingNowModel ?? throw new ArgumentException($"expected a {nameof(TrendingNowModel)}, got {model.GetType().Name}", nameof(model));
}
