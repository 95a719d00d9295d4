namespace Pipeline.Domain.Recommendations.Ranking;

/// <summary>
/// Ranks a caller's candidates inside the request's latency budget, like <see cref="FallbackChain"/> does for
/// recommendations: the variant's ranking model gets its share of the budget, then each fallback recipe that can
/// rank (popularity ranks by popularity) what is left, and when none can, the candidates keep the order they were
/// given, without scores. It never throws for a model's sake.
/// </summary>
public sealed class RankingChain(IModelRegistry models, ServingOptions options, TimeProvider time)
{
    public async Task<(IReadOnlyList<RankedItem> Items, string ServedBy)> RankAsync(
        IRankingModel? primary, string userId, IReadOnlyList<string> itemIds, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var budget = TimeSpan.FromMilliseconds(options.BudgetMilliseconds);
        var reason = primary is null ? ServedBy.NotTrained : null;
        if (primary is not null)
        {
            var (items, failure) = await TryAsync(primary, userId, itemIds, budget * options.PrimaryShareOfBudget, cancellationToken);
            if (failure is null)
            {
                return (items!, ServedBy.Primary);
            }
            reason = failure;
        }
        foreach (var recipe in options.FallbackRecipes)
        {
            if (models.Find(recipe) is not IRankingModel fallback || ReferenceEquals(fallback, primary))
            {
                continue;
            }
            var remaining = TimeSpan.FromTicks(Math.Max(0, (budget - time.GetElapsedTime(started)).Ticks));
            var (items, failure) = await TryAsync(fallback, userId, itemIds, remaining, cancellationToken);
            if (failure is null)
            {
                return (items!, ServedBy.Fallback(reason!));
            }
        }
        return (GivenOrder(itemIds), ServedBy.Fallback(reason!));
    }

    /// <summary>The candidates as given, first occurrence of each, unscored: the ranking of last resort.</summary>
    public static IReadOnlyList<RankedItem> GivenOrder(IReadOnlyList<string> itemIds)
    {
        var seen = new HashSet<string>(itemIds.Count, StringComparer.Ordinal);
        return [.. itemIds.Where(seen.Add).Select(id => new RankedItem(id, null))];
    }

    private Task<(IReadOnlyList<RankedItem>? Items, string? Failure)> TryAsync(
        IRankingModel model, string userId, IReadOnlyList<string> itemIds, TimeSpan timeout, CancellationToken cancellationToken) =>
        BudgetedModelCall.TryAsync(() => model.RankAsync(userId, itemIds, cancellationToken), timeout, time, cancellationToken);
}
