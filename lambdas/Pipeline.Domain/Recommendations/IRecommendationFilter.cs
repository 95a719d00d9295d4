namespace Pipeline.Domain.Recommendations;

/// <summary>
/// A request's filter (a Personalize filter expression with its values), bound to the request. The fallback chain
/// asks every link through it, so a filtered request never gets an item the filter excludes, whichever link
/// answers; the filter engine itself lives outside the domain.
/// </summary>
public interface IRecommendationFilter
{
    /// <summary>The model's answer to the query with the filter's rejects removed (the model is asked for more than
    /// <see cref="ModelQuery.NumResults"/> so that enough are left).</summary>
    ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(IRecommendationModel model, ModelQuery query, CancellationToken cancellationToken);

    /// <summary>A list served before (the last good list) with the filter's rejects removed.</summary>
    ValueTask<IReadOnlyList<ScoredItem>> ApplyAsync(IReadOnlyList<ScoredItem> items, CancellationToken cancellationToken);
}
