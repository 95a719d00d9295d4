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
        var perUser = new List<UserRankingMetrics>(split.TestUsers.Count);
        var recommendedAnywhere = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>(MetricNames.RecommendationsNeeded);
        var ndcgAt20 = 0.0;
        foreach (var user in split.TestUsers)
        {
            var recommendations = await model.RecommendAsync(new ModelQuery(user.UserId, null, MetricNames.RecommendationsNeeded), cancellationToken);
            ids.Clear();
            foreach (var item in recommendations)
            {
                ids.Add(item.ItemId);
                recommendedAnywhere.Add(item.ItemId);
            }
            perUser.Add(RankingMetrics.ForUser(ids, user.TargetItemIds));
            ndcgAt20 += RankingMetrics.Ndcg(ids, user.TargetItemIds, 20);
        }
        // Coverage as Personalize defines it: distinct recommended items over the items of the catalogue.
        var coverage = split.CatalogItemCount == 0 ? 0 : (double)recommendedAnywhere.Count / split.CatalogItemCount;
        var metrics = RankingMetrics.Aggregate(perUser, coverage);
        if (!includeNdcgAt20) return metrics;
        return new SortedDictionary<string, double>((IDictionary<string, double>)metrics, StringComparer.Ordinal)
        {
            [MetricNames.NdcgAt20] = perUser.Count == 0 ? 0 : ndcgAt20 / perUser.Count,
        };
    }
}
