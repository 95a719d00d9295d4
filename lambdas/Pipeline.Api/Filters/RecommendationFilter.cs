using System.Collections.Concurrent;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Filters;

namespace Pipeline.Api.Filters;

/// <summary>
/// One request's filter on POST /recommendations, evaluated by the engine's filter against the candidates' catalog
/// entries, the user's metadata and the user's latest 100 live events (as on POST /rankings). Each link of the
/// fallback chain is asked for more than <c>num_results</c> (three times, at least 50 more) and asked again for four
/// times as many while the filter leaves too few and the model had more to give (as
/// <see cref="FilteredRecommendations"/> does). Catalog entries are read once per request, only when the
/// expression looks at items; a timed-out link may still run while the next one does, hence the concurrent cache.
/// All of it stays within the request's <see cref="FilterBudget"/>: past it the filter answers what it has kept so
/// far (and <see cref="BudgetSpent"/> says so) rather than keep scoring.
/// </summary>
public sealed class RecommendationFilter(
    CompiledFilter filter, string userId, IReadOnlyDictionary<string, string>? filterValues, string? currentItemId,
    IItemStore items, IUserStore users, IEventStore events, FilterBudget budget) : IRecommendationFilter
{
    /// <summary>Appended to <c>served_by</c> when the filter stopped at its budget.</summary>
    public const string BudgetSpentSuffix = "+filter-budget";

    /// <summary>Appended to <c>served_by</c> when the catalog showed the filter keeps nothing and nothing was scored.</summary>
    public const string SelectsNothingSuffix = "+filter-empty";

    /// <summary>Candidates looked up between two looks at the clock.</summary>
    private const int LookupsBetweenClockChecks = 128;

    private readonly bool _readsItems = ReadsItems(filter);
    private readonly bool _readsInteractions = ReadsInteractions(filter);
    private readonly ConcurrentDictionary<string, Item?> _catalog = new(StringComparer.Ordinal);
    private Task<(User? User, IInteractionHistory History)>? _basis;
    private bool _catalogChecked;

    public async ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(IRecommendationModel model, ModelQuery query, CancellationToken cancellationToken)
    {
        if (query.NumResults <= 0)
        {
            return [];
        }
        if (await SelectsNoCatalogCategoryAsync(cancellationToken))
        {
            return [];
        }
        var fetch = OverFetch.First(query.NumResults);
        IReadOnlyList<ScoredItem> kept = [];
        for (var round = 0; ; round++)
        {
            using var started = await budget.TryStartRoundAsync(fetch, firstRound: round == 0, cancellationToken);
            if (started is null)
            {
                break;
            }
            var candidates = await model.RecommendAsync(query with { NumResults = fetch, Filter = null }, cancellationToken);
            kept = await ApplyAsync(candidates, cancellationToken);
            if (!OverFetch.AskAgain(query.NumResults, kept.Count, fetch, candidates.Count) || budget.Spent)
            {
                break;
            }
            fetch = OverFetch.Next(fetch);
        }
        return OverFetch.Top(kept, query.NumResults);
    }

    /// <summary>True when the filter stopped at the request's budget, so the answer may be short.</summary>
    public bool BudgetSpent => budget.Spent;

    /// <summary>True when the catalog showed the filter keeps nothing, so no model was asked.</summary>
    public bool SelectsNothing { get; private set; }

    // Checked once per request (every link of the chain asks): an INCLUDE of categories no item has is answered before scoring.
    private async ValueTask<bool> SelectsNoCatalogCategoryAsync(CancellationToken cancellationToken)
    {
        if (_catalogChecked)
        {
            return SelectsNothing;
        }
        _catalogChecked = true;
        if (items is IItemCategories catalog && _readsItems)
        {
            SelectsNothing = filter.IncludesNoCategoryOf(await catalog.CategoriesAsync(cancellationToken), filterValues);
        }
        return SelectsNothing;
    }

    public async ValueTask<IReadOnlyList<ScoredItem>> ApplyAsync(IReadOnlyList<ScoredItem> candidates, CancellationToken cancellationToken)
    {
        var (user, history) = await (_basis ??= LoadBasisAsync(cancellationToken));
        var catalog = new List<Item>();
        if (_readsItems)
        {
            if (currentItemId is not null && await FindAsync(currentItemId, cancellationToken) is { } current)
            {
                catalog.Add(current);
            }
            for (var i = 0; i < candidates.Count; i++)
            {
                // Out of time: only the candidates looked up so far are judged (the best-scored ones, as they come in order).
                if (i % LookupsBetweenClockChecks == LookupsBetweenClockChecks - 1 && budget.StopNow())
                {
                    candidates = [.. candidates.Take(i)];
                    break;
                }
                if (await FindAsync(candidates[i].ItemId, cancellationToken) is { } item)
                {
                    catalog.Add(item);
                }
            }
        }
        var context = new FilterContext(catalog.DistinctBy(i => i.ItemId), history, user is null ? null : [user]);
        return filter.Apply(userId, candidates, filterValues, context, currentItemId);
    }

    private async ValueTask<Item?> FindAsync(string itemId, CancellationToken cancellationToken)
    {
        if (_catalog.TryGetValue(itemId, out var known))
        {
            return known;
        }
        var item = await items.GetAsync(itemId, cancellationToken);
        _catalog[itemId] = item;
        return item;
    }

    private async Task<(User?, IInteractionHistory)> LoadBasisAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        var history = _readsInteractions
            ? InteractionHistory.FromEvents(await events.ListByUserAsync(userId, InteractionHistory.RealTimeLimit, cancellationToken))
            : InteractionHistory.Empty;
        return (user, history);
    }

    private static IEnumerable<FilterCondition> Conditions(CompiledFilter filter) =>
        filter.Expressions.SelectMany(e => e.Where.SelectMany(g => g).Concat(e.If));

    private static bool ReadsItems(CompiledFilter filter) => Conditions(filter).Any(c =>
        c.Field.Dataset == FilterDataset.Items
        || (c is MembershipCondition m && m.Values.Any(v => v is CurrentItemOperand))
        || (c is ComparisonCondition k && k.Value is CurrentItemOperand));

    private static bool ReadsInteractions(CompiledFilter filter) =>
        Conditions(filter).Any(c => c.Field.Dataset == FilterDataset.Interactions);
}
