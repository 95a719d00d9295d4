using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Filters;

/// <summary>
/// Applies a filter to a model's answers. A filter removes items after the model ranks them, so the model is
/// asked for more than NumResults (three times, at least 50 more) and asked again for four times as many while
/// the filter leaves too few and the model still had more to give, up to <see cref="MaxCandidates"/>.
/// </summary>
public static class FilteredRecommendations
{
    /// <summary>The most candidates one request asks a model for.</summary>
    public const int MaxCandidates = 10_000;

    public static async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(
        IRecommendationModel model, ModelQuery query, CompiledFilter filter,
        IReadOnlyDictionary<string, string>? filterValues, FilterContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        if (query.NumResults <= 0) return [];
        var fetch = Math.Min(MaxCandidates, Math.Max(query.NumResults * 3, query.NumResults + 50));
        while (true)
        {
            var candidates = await model.RecommendAsync(query with { NumResults = fetch }, cancellationToken);
            var kept = filter.Apply(query.UserId, candidates, filterValues, context, query.ItemId);
            var exhausted = candidates.Count < fetch || fetch >= MaxCandidates;
            if (kept.Count >= query.NumResults || exhausted)
                return kept.Count <= query.NumResults ? kept : [.. kept.Take(query.NumResults)];
            fetch = (int)Math.Min(MaxCandidates, fetch * 4L);
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
