using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Filters;

/// <summary>Applies a filter to a model's answers, asking for candidates as <see cref="OverFetch"/> says.</summary>
public static class FilteredRecommendations
{

    public static async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(
        IRecommendationModel model, ModelQuery query, CompiledFilter filter,
        IReadOnlyDictionary<string, string>? filterValues, FilterContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        if (query.NumResults <= 0) return [];
        var fetch = OverFetch.First(query.NumResults);
        while (true)
        {
            var candidates = await model.RecommendAsync(query with { NumResults = fetch }, cancellationToken);
            var kept = filter.Apply(query.UserId, candidates, filterValues, context, query.ItemId);
            if (!OverFetch.AskAgain(query.NumResults, kept.Count, fetch, candidates.Count))
                return OverFetch.Top(kept, query.NumResults);
            fetch = OverFetch.Next(fetch);
        }
    }

    /// <summary>A personalized ranking with the filter's rejects removed (the ranking already holds every candidate).</summary>
    public static async ValueTask<IReadOnlyList<RankedItem>> RankAsync(
        IRankingModel model, string userId, IReadOnlyList<string> itemIds, CompiledFilter filter,
        IReadOnlyDictionary<string, string>? filterValues, FilterContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(filter);
        var ranked = await model.RankAsync(userId, itemIds, cancellationToken);
        return filter.Apply(userId, ranked, filterValues, context);
    }
}
