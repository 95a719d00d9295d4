using System.Text.Json.Nodes;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Filters;
using Pipeline.Personalize.Local.Errors;
using Pipeline.Personalize.Local.Json;

namespace Pipeline.Personalize.Local.Runtime;

/// <summary>
/// What a campaign (or a batch job) serves: its solution version's model, configured by the campaign's config where
/// the model supports it, answering with the optional filter applied.
/// </summary>
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

    /// <summary>A filter bound to a request: the compiled expression, its values and the group's data.</summary>
    public sealed record AppliedFilter(CompiledFilter Filter, IReadOnlyDictionary<string, string>? Values, FilterContext Context);

    public static async Task<IReadOnlyList<ScoredItem>> RecommendAsync(
        IRecommendationModel model, string? userId, string? itemId, int numResults, AppliedFilter? filter, CancellationToken cancellationToken)
    {
        var query = new ModelQuery(userId ?? "", itemId, numResults);
        try
        {
            return filter is null
                ? await model.RecommendAsync(query, cancellationToken)
                : await FilteredRecommendations.RecommendAsync(model, query, filter.Filter, filter.Values, filter.Context, cancellationToken);
        }
        catch (ArgumentException e)
        {
            // Bad filter values, or a query the model cannot take (an itemId for a user recipe).
            throw PersonalizeException.InvalidInput(e.Message.Split(" (Parameter")[0]);
        }
    }

    /// <summary>
    /// The given items ordered for the user. A ranking model (aws-personalized-ranking) ranks them itself; any other
    /// model's top list decides the order, and items it does not rank come last, in input order, without a score.
    /// </summary>
    public static async Task<IReadOnlyList<RankedItem>> RankAsync(
        IRecommendationModel model, string userId, IReadOnlyList<string> itemIds, AppliedFilter? filter, CancellationToken cancellationToken)
    {
        IReadOnlyList<RankedItem> ranked;
        try
        {
            ranked = model is IRankingModel ranking
                ? await ranking.RankAsync(userId, itemIds, cancellationToken)
                : await RankByTopList(model, userId, itemIds, cancellationToken);
            return filter is null ? ranked : filter.Filter.Apply(userId, ranked, filter.Values, filter.Context);
        }
        catch (ArgumentException e)
        {
            throw PersonalizeException.InvalidInput(e.Message.Split(" (Parameter")[0]);
        }
    }

    private static async Task<IReadOnlyList<RankedItem>> RankByTopList(IRecommendationModel model, string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken)
    {
        var scored = await model.RecommendAsync(new ModelQuery(userId, null, OverFetch.MaxCandidates), cancellationToken);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in scored) scores.TryAdd(item.ItemId, item.Score);
        return [.. itemIds.Distinct(StringComparer.Ordinal)
            .Select((id, index) => (Item: new RankedItem(id, scores.TryGetValue(id, out var s) ? s : null), index))
            .OrderByDescending(x => x.Item.Score.HasValue).ThenByDescending(x => x.Item.Score ?? 0).ThenBy(x => x.index)
            .Select(x => x.Item)];
    }

    public static PersonalizeException NotServing(string campaignArn, string? status) =>
        PersonalizeException.InvalidInput($"The campaign {campaignArn} is {status}; it serves recommendations once ACTIVE.");
}
