using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Evaluation;

/// <summary>Asks a model for each test user's top 25 and scores them against the held-out targets.</summary>
public static class OfflineEvaluator
{
    public static async Task<IReadOnlyDictionary<string, double>> EvaluateAsync(
        IRecommendationModel model, HoldoutSplit split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        var perUser = new List<UserRankingMetrics>(split.TestUsers.Count);
        var recommendedAnywhere = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>(MetricNames.RecommendationsNeeded);
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
        }
        // Coverage as Personalize defines it: distinct recommended items over the items of the catalogue.
        var coverage = split.CatalogItemCount == 0 ? 0 : (double)recommendedAnywhere.Count / split.CatalogItemCount;
        return RankingMetrics.Aggregate(perUser, coverage);
    }
}
