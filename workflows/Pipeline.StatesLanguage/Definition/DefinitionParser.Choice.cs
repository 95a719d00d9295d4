using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Definition;

internal sealed partial class DefinitionParser
{
    private static readonly string[] ValueOperators =
    [
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "BooleanEquals",
        "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
    ];

    private static readonly string[] TypeTests = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];

    internal static readonly HashSet<string> ComparisonOperators =
    [
        .. ValueOperators,
        .. ValueOperators.Where(op => op != "StringMatches").Select(op => op + "Path"),
        .. TypeTests,
    ];

    private ChoiceState ParseChoice(string name, JsonObject obj, string where)
    {
        var rules = new List<ChoiceRule>();
        if (obj["Choices"] is not JsonArray choices || choices.Count == 0)
        {
            Problem($"{where} has no 'Choices' array with at least one rule.");
        }
        else
        {
            for (var i = 0; i < choices.Count; i++)
            {
                var ruleWhere = $"{where}: 'Choices[{i}]'";
                if (choices[i] is not JsonObject ruleJson)
                {
                    Problem($"{ruleWhere} must be a JSON object.");
                    continue;
                }
                var next = OptionalString(ruleJson, "Next", ruleWhere);
                if (next is null)
                {
                    Problem($"{ruleWhere} has no 'Next' field.");
                }
                if (ParseCondition(ruleJson, ruleWhere, topLevel: true) is { } condition)
                {
                    rules.Add(new ChoiceRule(condition, next ?? ""));
                }
            }
        }
        return new ChoiceState { Name = name, Choices = rules, Default = OptionalString(obj, "Default", where) };
    }

    private ChoiceCondition? ParseCondition(JsonObject rule, string where, bool topLevel)
    {
        if (!topLevel && rule.ContainsKey("Next"))
        {
            Problem($"{where}: only top-level Choice rules may have 'Next'.");
        }
        if (rule["And"] is { } and)
        {
            return ParseConditionList(and, "And", where) is { } all ? new AndCondition(all) : null;
        }
        if (rule["Or"] is { } or)
        {
            return ParseConditionList(or, "Or", where) is { } any ? new OrCondition(any) : null;
        }
        if (rule["Not"] is { } not)
        {
            if (not is not JsonObject inner)
            {
                Problem($"{where}: 'Not' must hold one rule object.");
                return null;
            }
            return ParseCondition(inner, $"{where}.Not", topLevel: false) is { } negated ? new NotCondition(negated) : null;
        }
        var variable = OptionalString(rule, "Variable", where);
        var operators = rule.Select(pair => pair.Key).Where(ComparisonOperators.Contains).ToList();
        if (variable is null)
        {
            Problem($"{where} has no 'Variable' (nor 'And', 'Or', 'Not').");
            return null;
        }
        CheckPath(variable, "Variable", where, referencePath: false);
        if (operators.Count != 1)
        {
            Problem(operators.Count == 0
                ? $"{where} has no comparison operator (such as StringEquals, NumericGreaterThan, IsPresent)."
                : $"{where} has more than one comparison operator: {string.Join(", ", operators)}.");
            return null;
        }
        var op = operators[0];
        var value = rule[op];
        if (!ValueFits(op, value))
        {
            Problem($"{where}: '{op}' needs {ExpectedValue(op)}.");
            return null;
        }
        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            CheckPath(value!.GetValue<string>(), op, where, referencePath: false);
        }
        return new ComparisonCondition(variable, op, JsonValues.Clone(value));
    }

    private List<ChoiceCondition>? ParseConditionList(JsonNode list, string field, string where)
    {
        if (list is not JsonArray array || array.Count == 0)
        {
            Problem($"{where}: '{field}' must be a non-empty array of rules.");
            return null;
        }
        var conditions = new List<ChoiceCondition>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject inner)
            {
                Problem($"{where}.{field}[{i}] must be a rule object.");
                continue;
            }
            if (ParseCondition(inner, $"{where}.{field}[{i}]", topLevel: false) is { } condition)
            {
                conditions.Add(condition);
            }
        }
        return conditions;
    }

    private static bool ValueFits(string op, JsonNode? value)
    {
        if (op.EndsWith("Path", StringComparison.Ordinal) || op.StartsWith("String", StringComparison.Ordinal))
        {
            return JsonValues.IsString(value);
        }
        if (op.StartsWith("Numeric", StringComparison.Ordinal))
        {
            return JsonValues.IsNumber(value);
        }
        if (op.StartsWith("Timestamp", StringComparison.Ordinal))
        {
            return JsonValues.TryGetString(value, out var text) && Timestamps.TryParse(text, out _);
        }
        return JsonValues.KindOf(value) is JsonValueKind.True or JsonValueKind.False;
    }

    private static string ExpectedValue(string op) =>
        op.EndsWith("Path", StringComparison.Ordinal) ? "a path string"
        : op.StartsWith("String", StringComparison.Ordinal) ? "a string"
        : op.StartsWith("Numeric", StringComparison.Ordinal) ? "a number"
        : op.StartsWith("Timestamp", StringComparison.Ordinal) ? "an RFC 3339 timestamp string"
        : "a boolean";
}
