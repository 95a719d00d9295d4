using System.Text.Json.Nodes;
using Pipeline.Domain.Recommendations;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>The model a campaign serves: its (active) solution version's model, configured by the campaign's config where the model supports it.</summary>
public static class CampaignServing
{
    public static IRecommendationModel ModelFor(ModelCache models, string solutionVersionArn, JsonObject? campaignConfig)
    {
        var model = models.Find(solutionVersionArn)
            ?? throw new InvalidOperationException($"The model of {solutionVersionArn} is not available: its recipe has no model serializer and the service restarted since training. Create a new solution version.");
        if (model is IAcceptsCampaignConfig configurable && campaignConfig?["itemExplorationConfig"] is { } exploration)
            return configurable.WithItemExploration(Request.StringMap(exploration, "campaignConfig.itemExplorationConfig")!);
        return model;
    }

    public static async Task<IReadOnlyList<ScoredItem>> RecommendAsync(IRecommendationModel model, string? userId, string? itemId, int numResults, CancellationToken cancellationToken) =>
        await model.RecommendAsync(new ModelQuery(userId ?? "", itemId, numResults), cancellationToken);

    /// <summary>
    /// Orders the given items for a user by the model's scores: items the model ranks come first by score, the rest keep
    /// their input order with score 0 (there is no ranking interface on models yet, so this asks for a long list).
    /// </summary>
    public static async Task<IReadOnlyList<ScoredItem>> RankAsync(IRecommendationModel model, string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken)
    {
        var scored = await model.RecommendAsync(new ModelQuery(userId, null, Math.Max(10_000, itemIds.Count)), cancellationToken);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in scored) scores.TryAdd(item.ItemId, item.Score);
        return [.. itemIds.Distinct(StringComparer.Ordinal)
            .Select((id, index) => (Item: new ScoredItem(id, scores.GetValueOrDefault(id)), Known: scores.ContainsKey(id), index))
            .OrderByDescending(x => x.Known).ThenByDescending(x => x.Item.Score).ThenBy(x => x.index)
            .Select(x => x.Item)];
    }

    public static PersonalizeException NotServing(string campaignArn, string? status) =>
        PersonalizeException.InvalidInput($"The campaign {campaignArn} is {status}; it serves recommendations once ACTIVE.");
}
