using System.Globalization;
using Pipeline.Domain.Catalog;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Engine.Filters;

/// <summary>
/// A parsed filter, ready to apply to candidates. Semantics, following Personalize's documentation:
/// <list type="bullet">
/// <item>INCLUDE keeps the items its conditions match, EXCLUDE drops them; piped expressions apply in turn.</item>
/// <item><c>Interactions.EVENT_TYPE IN (...)</c> matches items the user interacted with with one of those event
/// types (case-insensitive, as Personalize matches event types; <c>"*"</c> is any type); <c>NOT IN</c> matches
/// items the user interacted with with some other type.</item>
/// <item><c>Items.F IN (...)</c> matches exact strings; a categorical value <c>a|b</c> holds each part. An item
/// without the field matches <c>NOT IN</c> and no comparison.</item>
/// <item>An expression whose IF conditions on the user do not hold does not filter.</item>
/// <item>A placeholder without a filter value: an error for INCLUDE; for EXCLUDE its condition is left out (and
/// an expression left without conditions does not filter).</item>
/// </list>
/// </summary>
public sealed class CompiledFilter
{
    private CompiledFilter(string expression, IReadOnlyList<FilterExpression> expressions)
    {
        Expression = expression;
        Expressions = expressions;
        Placeholders = expressions
            .SelectMany(e => e.Where.SelectMany(g => g).Concat(e.If))
            .SelectMany(Operands)
            .OfType<PlaceholderOperand>()
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Parses the expression; throws <see cref="FilterExpressionException"/> with the position of the first error.</summary>
    public static CompiledFilter Compile(string expression) => new(expression, FilterParser.Parse(expression));

    public string Expression { get; }

    public IReadOnlyList<FilterExpression> Expressions { get; }

    /// <summary>The $PLACEHOLDER names the expression uses (without '$'), the keys of filterValues.</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>The candidates the filter lets through, in their order.</summary>
    /// <param name="filterValues">GetRecommendations' filterValues: placeholder name (case-sensitive) to its values, e.g. <c>"\"books\",\"games\""</c>.</param>
    /// <param name="currentItemId">The request's item id, needed when the filter uses CurrentItem.</param>
    public IReadOnlyList<string> Apply(string userId, IReadOnlyList<string> candidates, IReadOnlyDictionary<string, string>? filterValues, FilterContext context, string? currentItemId = null) =>
        Apply(userId, candidates, static id => id, filterValues, context, currentItemId);

    public IReadOnlyList<ScoredItem> Apply(string userId, IReadOnlyList<ScoredItem> candidates, IReadOnlyDictionary<string, string>? filterValues, FilterContext context, string? currentItemId = null) =>
        Apply(userId, candidates, static s => s.ItemId, filterValues, context, currentItemId);

    public IReadOnlyList<RankedItem> Apply(string userId, IReadOnlyList<RankedItem> candidates, IReadOnlyDictionary<string, string>? filterValues, FilterContext context, string? currentItemId = null) =>
        Apply(userId, candidates, static s => s.ItemId, filterValues, context, currentItemId);

    public IReadOnlyList<T> Apply<T>(
        string userId, IReadOnlyList<T> candidates, Func<T, string> itemIdOf,
        IReadOnlyDictionary<string, string>? filterValues, FilterContext context, string? currentItemId = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(itemIdOf);
        ArgumentNullException.ThrowIfNull(context);
        var evaluation = new FilterEvaluation(userId, filterValues ?? new Dictionary<string, string>(), context, currentItemId);
        var active = Expressions.Select(evaluation.Bind).Where(b => b is not null).Select(b => b!).ToArray();
        if (active.Length == 0) return candidates;
        var kept = new List<T>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var itemId = itemIdOf(candidate);
            if (active.All(e => e.Keeps(itemId))) kept.Add(candidate);
        }
        return kept;
    }

    /// <summary>
    /// True when the catalog alone shows the filter keeps nothing: an INCLUDE expression that always applies (no IF)
    /// and whose every OR group requires <c>Items.CATEGORY IN (...)</c> of values no item has. Piped expressions all
    /// have to keep an item, so one such expression empties the answer whatever is scored.
    /// </summary>
    /// <param name="categories">Every category value in the catalog (the parts of <c>a|b</c>).</param>
    public bool IncludesNoCategoryOf(IReadOnlySet<string> categories, IReadOnlyDictionary<string, string>? filterValues)
    {
        ArgumentNullException.ThrowIfNull(categories);
        return Expressions.Any(e => e.Action == FilterAction.Include && e.If.Count == 0 && e.Where.Count > 0
            && e.Where.All(group => group.Any(c => c is MembershipCondition { Negated: false } m
                && m.Field is { Dataset: FilterDataset.Items, Name: "CATEGORY" }
                && CategoryValues(m, filterValues) is { } values && !values.Any(categories.Contains))));
    }

    // The condition's values, or null when one is not known before binding (CurrentItem, a missing placeholder).
    private static List<string>? CategoryValues(MembershipCondition condition, IReadOnlyDictionary<string, string>? filterValues)
    {
        var values = new List<string>();
        foreach (var operand in condition.Values)
        {
            switch (operand)
            {
                case LiteralOperand literal:
                    values.Add(literal.Text);
                    break;
                case PlaceholderOperand placeholder when filterValues is not null && filterValues.TryGetValue(placeholder.Name, out var text):
                    values.AddRange(FilterValues.Parse(placeholder.Name, text));
                    break;
                default:
                    return null;
            }
        }
        return values;
    }

    private static IEnumerable<FilterOperand> Operands(FilterCondition condition) => condition switch
    {
        MembershipCondition m => m.Values,
        ComparisonCondition c => [c.Value],
        _ => [],
    };

    /// <summary>One expression with its placeholders resolved for a request.</summary>
    private sealed record BoundExpression(FilterAction Action, IReadOnlyList<IReadOnlyList<Func<string, bool>>> Groups)
    {
        public bool Keeps(string itemId)
        {
            var matches = Groups.Any(group => group.All(condition => condition(itemId)));
            return Action == FilterAction.Include ? matches : !matches;
        }
    }

    /// <summary>The state of one Apply call: filter values parsed once, the user's history indexed once.</summary>
    private sealed class FilterEvaluation(string userId, IReadOnlyDictionary<string, string> filterValues, FilterContext context, string? currentItemId)
    {
        private readonly Dictionary<string, IReadOnlyList<string>> _parsedValues = new(StringComparer.Ordinal);
        private Dictionary<string, List<string>>? _eventTypesByItem;

        public BoundExpression? Bind(FilterExpression expression)
        {
            foreach (var condition in expression.If)
            {
                var test = BindCondition(condition, expression.Action);
                if (test is not null && !test(userId)) return null;
            }
            var groups = new List<IReadOnlyList<Func<string, bool>>>();
            foreach (var group in expression.Where)
            {
                var bound = group.Select(c => BindCondition(c, expression.Action)).Where(t => t is not null).Select(t => t!).ToArray();
                if (bound.Length > 0) groups.Add(bound);
            }
            return groups.Count == 0 ? null : new BoundExpression(expression.Action, groups);
        }

        // A test of an item id (of the user id, for CurrentUser); null when a placeholder has no value and the
        // condition is left out.
        private Func<string, bool>? BindCondition(FilterCondition condition, FilterAction action)
        {
            switch (condition)
            {
                case MembershipCondition membership:
                    var values = new HashSet<string>(
                        membership.Field.Dataset == FilterDataset.Interactions ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                    foreach (var operand in membership.Values)
                    {
                        var resolved = Resolve(operand, action);
                        if (resolved is null) return null;
                        values.UnionWith(resolved);
                    }
                    return membership.Field.Dataset == FilterDataset.Interactions
                        ? EventTypeTest(values, membership.Negated)
                        : AttributeTest(membership.Field, values, membership.Negated);

                case ComparisonCondition comparison:
                    var right = Resolve(comparison.Value, action);
                    if (right is null) return null;
                    var number = right.Count > 0 && TryNumber(right[0], out var n) ? n
                        : comparison.Value is CurrentItemOperand ? double.NaN
                        : throw new ArgumentException(
                            $"filter value for {Describe(comparison.Value)} must be a number to compare with {comparison.Field} (got '{string.Join(",", right)}')",
                            nameof(filterValues));
                    return id => Numeric(comparison.Field, id) is { } left && !double.IsNaN(number) && Compare(left, comparison.Operator, number);

                default:
                    throw new InvalidOperationException($"unknown condition {condition.GetType().Name}");
            }
        }

        private IReadOnlyList<string>? Resolve(FilterOperand operand, FilterAction action)
        {
            switch (operand)
            {
                case LiteralOperand literal:
                    return [literal.Text];
                case PlaceholderOperand placeholder:
                    if (_parsedValues.TryGetValue(placeholder.Name, out var cached)) return cached;
                    if (!filterValues.TryGetValue(placeholder.Name, out var text))
                    {
                        return action == FilterAction.Exclude ? null : throw new ArgumentException(
                            $"the filter needs a value for ${placeholder.Name}: an INCLUDE filter must have values for every placeholder", nameof(filterValues));
                    }
                    return _parsedValues[placeholder.Name] = FilterValues.Parse(placeholder.Name, text);
                case CurrentItemOperand currentItem:
                    if (currentItemId is null)
                        throw new ArgumentException($"the filter uses CurrentItem.{currentItem.Field}, which needs the request's itemId", nameof(currentItemId));
                    return ItemValues(context.FindItem(currentItemId), currentItem.Field) ?? [];
                default:
                    throw new InvalidOperationException($"unknown operand {operand.GetType().Name}");
            }
        }

        private Func<string, bool> EventTypeTest(HashSet<string> eventTypes, bool negated)
        {
            var any = eventTypes.Contains("*");
            return itemId =>
            {
                if (!EventTypesByItem().TryGetValue(itemId, out var types)) return false;
                return negated
                    ? !any && types.Exists(t => !eventTypes.Contains(t))
                    : any || types.Exists(eventTypes.Contains);
            };
        }

        private Func<string, bool> AttributeTest(FilterField field, HashSet<string> values, bool negated) => id =>
        {
            var actual = Attribute(field, id);
            if (actual is null) return negated;
            var hit = actual.Any(values.Contains);
            return negated ? !hit : hit;
        };

        private Dictionary<string, List<string>> EventTypesByItem()
        {
            if (_eventTypesByItem is not null) return _eventTypesByItem;
            _eventTypesByItem = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var e in context.History.Of(userId))
            {
                if (!_eventTypesByItem.TryGetValue(e.ItemId, out var types)) _eventTypesByItem[e.ItemId] = types = [];
                types.Add(e.EventType);
            }
            return _eventTypesByItem;
        }

        private IReadOnlyList<string>? Attribute(FilterField field, string id) => field.Dataset == FilterDataset.CurrentUser
            ? UserValues(context.FindUser(id), field.Name)
            : ItemValues(context.FindItem(id), field.Name);

        private double? Numeric(FilterField field, string id)
        {
            if (field.Dataset == FilterDataset.Items && context.FindItem(id) is { } item)
            {
                if (field.Name == "PRICE") return item.Price;
                if (field.Name == "CREATION_TIMESTAMP") return item.CreatedAt?.ToUnixTimeSeconds();
            }
            var values = Attribute(field, id);
            return values is [var single] && TryNumber(single, out var number) ? number : null;
        }

        private static string Describe(FilterOperand operand) => operand switch
        {
            PlaceholderOperand p => "$" + p.Name,
            CurrentItemOperand c => "CurrentItem." + c.Field,
            LiteralOperand l => l.Text,
            _ => operand.ToString(),
        };
    }

    private static IReadOnlyList<string>? ItemValues(Item? item, string field) => item is null ? null : field switch
    {
        "ITEM_ID" => [item.ItemId],
        "CATEGORY" => item.Category?.Split('|'),
        "PRICE" => item.Price is { } price ? [price.ToString("R", CultureInfo.InvariantCulture)] : null,
        "CREATION_TIMESTAMP" => item.CreatedAt is { } created ? [created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)] : null,
        _ => null,
    };

    private static IReadOnlyList<string>? UserValues(User? user, string field)
    {
        if (user is null) return null;
        foreach (var (key, value) in user.Attributes)
            if (string.Equals(key, field, StringComparison.OrdinalIgnoreCase)) return value.Split('|');
        return null;
    }

    private static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool Compare(double left, ComparisonOperator op, double right) => op switch
    {
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right,
        ComparisonOperator.Less => left < right,
        ComparisonOperator.LessOrEqual => left <= right,
        ComparisonOperator.Greater => left > right,
        _ => left >= right,
    };
}
