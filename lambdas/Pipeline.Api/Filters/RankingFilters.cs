using System.Collections.Concurrent;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Filters;

namespace Pipeline.Api.Filters;

/// <summary>
/// Personalize filter expressions on POST /rankings, evaluated by the engine's filter against the stores: the
/// candidates' catalog entries, the user's metadata and the user's most recent live events (Personalize filters
/// on a user's latest 100 real-time events too). Compiled expressions are cached by text.
/// </summary>
public sealed class RankingFilters(IItemStore items, IUserStore users, IEventStore events)
{
    private const int MaxCachedExpressions = 1000;
    private readonly ConcurrentDictionary<string, CompiledFilter> _compiled = new(StringComparer.Ordinal);

    /// <summary>Compiles the expression; a parse error is an <see cref="FilterExpressionException"/>.</summary>
    public CompiledFilter Compile(string expression)
    {
        if (_compiled.TryGetValue(expression, out var cached))
        {
            return cached;
        }
        var compiled = CompiledFilter.Compile(expression);
        if (_compiled.Count < MaxCachedExpressions)
        {
            _compiled.TryAdd(expression, compiled);
        }
        return compiled;
    }

    /// <summary>
    /// Binds the filter once with no candidates, so a missing or malformed placeholder value (or a CurrentItem
    /// reference, which a ranking has no item for) is found before anything is ranked. Returns the problem or null.
    /// </summary>
    public static string? Check(CompiledFilter filter, string userId, IReadOnlyDictionary<string, string>? filterValues)
    {
        try
        {
            filter.Apply(userId, Array.Empty<string>(), filterValues, new FilterContext());
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public async ValueTask<IReadOnlyList<RankedItem>> ApplyAsync(CompiledFilter filter, string userId,
        IReadOnlyDictionary<string, string>? filterValues, IReadOnlyList<RankedItem> ranked, CancellationToken cancellationToken)
    {
        var catalog = new List<Item>(ranked.Count);
        foreach (var candidate in ranked)
        {
            if (await items.GetAsync(candidate.ItemId, cancellationToken) is { } item)
            {
                catalog.Add(item);
            }
        }
        var user = await users.GetAsync(userId, cancellationToken);
        var recent = await events.ListByUserAsync(userId, InteractionHistory.RealTimeLimit, cancellationToken);
        var context = new FilterContext(catalog, InteractionHistory.FromEvents(recent), user is null ? null : [user]);
        return filter.Apply(userId, ranked, filterValues, context);
    }
}
