using Pipeline.Api.Http;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Events;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Filters;

namespace Pipeline.Api.Filters;

/// <summary>
/// Validates <c>context</c>, <c>filter</c> and <c>filter_values</c> of POST /recommendations and binds the filter
/// to the request. Errors name the field: <c>filter</c> with the position for an expression that does not parse,
/// <c>filter_values.NAME</c> for a placeholder value that is missing (INCLUDE needs every one) or malformed.
/// </summary>
public sealed class RecommendationFilters(RankingFilters compiled, IItemStore items, IUserStore users, IEventStore events,
    ServingOptions serving, TimeProvider time, FilterEscalationSlots escalations)
{
    /// <summary>Personalize's limit on a filter expression's length.</summary>
    public const int MaxExpressionLength = 2500;

    /// <summary>The bound filter, or null when the request has none or is invalid (then <paramref name="errors"/> says why).</summary>
    public IRecommendationFilter? Bind(string? userId, string? itemId, IReadOnlyDictionary<string, string>? context,
        string? expression, IReadOnlyDictionary<string, string>? filterValues, ValidationErrors errors)
    {
        RequestContext.Validate(context, errors);
        if (expression is null)
        {
            if (filterValues is { Count: > 0 })
            {
                errors.Add("filter_values", "'filter_values' needs a 'filter'.");
            }
            return null;
        }
        if (string.IsNullOrWhiteSpace(expression) || expression.Length > MaxExpressionLength)
        {
            errors.Add("filter", $"'filter' must be a filter expression of 1 to {MaxExpressionLength} characters.");
            return null;
        }
        CompiledFilter filter;
        try
        {
            filter = compiled.Compile(expression);
        }
        catch (FilterExpressionException e)
        {
            errors.Add("filter", e.Message);
            return null;
        }
        if (!ValuesAreValid(filter, filterValues, errors) || userId is null)
        {
            return null;
        }
        // Binding once with no candidates finds what is left: a value that must be a number, CurrentItem without item_id.
        try
        {
            filter.Apply(userId, Array.Empty<string>(), filterValues, new FilterContext(), itemId);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.ParamName == "currentItemId" ? "item_id" : "filter_values", e.Message);
            return null;
        }
        return new RecommendationFilter(filter, userId, filterValues, itemId, items, users, events, FilterBudget.For(serving, time, escalations));
    }

    private static bool ValuesAreValid(CompiledFilter filter, IReadOnlyDictionary<string, string>? filterValues, ValidationErrors errors)
    {
        var before = errors.Count;
        var included = filter.Expressions
            .Where(e => e.Action == FilterAction.Include)
            .SelectMany(e => e.Where.SelectMany(g => g).Concat(e.If))
            .SelectMany(c => c switch
            {
                MembershipCondition m => m.Values,
                ComparisonCondition k => [k.Value],
                _ => [],
            })
            .OfType<PlaceholderOperand>()
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var name in filter.Placeholders.Order(StringComparer.Ordinal))
        {
            if (filterValues is null || !filterValues.TryGetValue(name, out var text) || text is null)
            {
                if (included.Contains(name))
                {
                    errors.Add($"filter_values.{name}", $"The filter needs a value for ${name} (an INCLUDE filter needs every placeholder).");
                }
                continue;
            }
            try
            {
                FilterValues.Parse(name, text);
            }
            catch (ArgumentException e)
            {
                errors.Add($"filter_values.{name}", e.Message);
            }
        }
        return errors.Count == before;
    }
}
