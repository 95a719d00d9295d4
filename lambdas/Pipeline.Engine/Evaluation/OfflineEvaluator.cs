using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Evaluation;

/// <summary>
/// Asks a model for each test user's top 25 and scores them against the held-out targets. With
/// <c>includeNdcgAt20</c> the result also holds <see cref="MetricNames.NdcgAt20"/> (the research protocol's
/// NDCG@20, next to its Recall@20), which GetSolutionMetrics does not report.
/// </summary>
public static class OfflineEvaluator
{
    public static async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(
        IRecommendationModel model, HoldoutSplit split, CancellationToken cancellationToken = default, bool includeNdcgAt20 = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        // Users are scored on every core (models serve concurrent requests); the sums run in user order afterwards,
        // so the figures do not depend on scheduling.
        var users = split.TestUsers;
        var perUser = new UserRankingMetrics[users.Count];
        var ndcgsAt20 = new double[users.Count];
        var recommended = new string[users.Count][];
        await Parallel.ForAsync(0, users.Count, new ParallelOptions { CancellationToken = cancellationToken }, async (i, token) =>
        {
            var user = users[i];
            var recommendations = await model.RecommendAsync(new ModelQuery(user.UserId, null, MetricNames.RecommendationsNeeded), token);
            var ids = recommendations.Select(item => item.ItemId).ToArray();
            recommended[i] = ids;
            perUser[i] = RankingMetrics.ForUser(ids, user.TargetItemIds);
            ndcgsAt20[i] = RankingMetrics.Ndcg(ids, user.TargetItemIds, 20);
        });
        var recommendedAnywhere = new HashSet<string>(recommended.SelectMany(ids => ids), StringComparer.Ordinal);
        var ndcgAt20 = ndcgsAt20.Sum();
        // Coverage as Personalize defines it: distinct recommended items over the items of the catalogue.
        var coverage = split.CatalogItemCount == 0 ? 0 : (double)recommendedAnywhere.Count / split.CatalogItemCount;
        var metrics = RankingMetrics.Aggregate(perUser, coverage);
        if (!includeNdcgAt20) return metrics;
        return new SortedDictionary<string, double>((IDictionary<string, double>)metrics, StringComparer.Ordinal)
        {
            [MetricNames.NdcgAt20] = perUser.Length == 0 ? 0 : ndcgAt20 / perUser.Length,
        };
    }
}
