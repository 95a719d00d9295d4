namespace Pipeline.Domain.Recommendations;

/// <summary>
/// Asks models in order inside one latency budget: the variant's model gets a share of it, each fallback recipe
/// what is left, and when all of them fail the last list a fallback served is repeated. It never throws for a
/// model's sake, so a model failure is never a 5xx.
/// </summary>
public sealed class FallbackChain(IModelRegistry models, ServingOptions options, TimeProvider time)
{
    private volatile IReadOnlyList<ScoredItem> _lastGood = [];

    public async Task<(IReadOnlyList<ScoredItem> Items, string ServedBy)> ServeAsync(
        IRecommendationModel? primary, ModelQuery query, string? reasonToSkipPrimary, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var budget = TimeSpan.FromMilliseconds(options.BudgetMilliseconds);
        var reason = reasonToSkipPrimary ?? (primary is null ? ServedBy.NotTrained : null);
        if (reason is null)
        {
            var (items, failure) = await TryAsync(primary!, query, budget * options.PrimaryShareOfBudget, cancellationToken);
            if (failure is null)
            {
                return (items!, ServedBy.Primary);
            }
            reason = failure;
        }

        var fallbackQuery = query with { ItemId = null };
        var anyFallbackTrained = false;
        foreach (var recipe in options.FallbackRecipes)
        {
            if (models.Find(recipe) is not { } fallback || ReferenceEquals(fallback, primary))
            {
                continue;
            }
            anyFallbackTrained = true;
            // With the budget spent, a fallback still answers if it can without waiting (an in-process model).
            var remaining = TimeSpan.FromTicks(Math.Max(0, (budget - time.GetElapsedTime(started)).Ticks));
            var (items, failure) = await TryAsync(fallback, fallbackQuery, remaining, cancellationToken);
            if (failure is null)
            {
                // A filtered list is not a good list for other requests.
                if (query.Filter is null)
                {
                    _lastGood = items!;
                }
                return (items!, ServedBy.Fallback(reason));
            }
        }
        var lastGood = _lastGood;
        if (!anyFallbackTrained && lastGood.Count == 0)
        {
            // Nothing trained yet (a fresh deployment before its first training): say so rather than "last good".
            return ([], ServedBy.Fallback(ServedBy.NotTrained));
        }
        if (query.Filter is { } filter)
        {
            lastGood = await ApplyToLastGoodAsync(filter, lastGood, cancellationToken);
        }
        return (lastGood.Count <= query.NumResults ? lastGood : lastGood.Take(query.NumResults).ToArray(), ServedBy.Fallback(ServedBy.LastGood));
    }

    // Unfiltered requests call the model directly; a filter over-fetches and filters around it.
    private Task<(IReadOnlyList<ScoredItem>? Items, string? Failure)> TryAsync(
        IRecommendationModel model, ModelQuery query, TimeSpan timeout, CancellationToken cancellationToken) =>
        BudgetedModelCall.TryAsync(
            () => query.Filter is { } filter ? filter.RecommendAsync(model, query, cancellationToken) : model.RecommendAsync(query, cancellationToken),
            timeout, time, cancellationToken);

    // The last resort must not fail either: a filter that cannot be evaluated (the catalog store down) leaves nothing.
    private static async ValueTask<IReadOnlyList<ScoredItem>> ApplyToLastGoodAsync(
        IRecommendationFilter filter, IReadOnlyList<ScoredItem> lastGood, CancellationToken cancellationToken)
    {
        try
        {
            return await filter.ApplyAsync(lastGood, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }
    }
}
