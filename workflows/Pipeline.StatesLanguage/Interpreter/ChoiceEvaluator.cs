using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.StatesLanguage.Definition;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Interpreter;

/// <summary>
/// Evaluates Choice rules. A comparison whose operands have the wrong type is false, not an error; a Variable (or
/// *Path operand) that selects nothing fails with States.Runtime, except under IsPresent.
/// </summary>
internal static class ChoiceEvaluator
{
    public static bool Matches(ChoiceCondition condition, JsonNode? input, JsonNode context) => condition switch
    {
        AndCondition and => and.Conditions.All(inner => Matches(inner, input, context)),
        OrCondition or => or.Conditions.Any(inner => Matches(inner, input, context)),
        NotCondition not => !Matches(not.Condition, input, context),
        ComparisonCondition comparison => Compare(comparison, input, context),
        _ => false,
    };

    private static bool Compare(ComparisonCondition rule, JsonNode? input, JsonNode context)
    {
        var found = JsonPath.Parse(rule.Variable).TrySelect(input, context, out var variable);
        if (rule.Operator == "IsPresent")
        {
            return found == Expected(rule);
        }
        if (!found)
        {
            throw new StateFailedException(StatesErrors.Runtime, $"Invalid path '{rule.Variable}': The choice state's condition path references an invalid value.");
        }
        var op = rule.Operator;
        var operand = rule.Value;
        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            var path = rule.Value!.GetValue<string>();
            if (!JsonPath.Parse(path).TrySelect(input, context, out operand))
            {
                throw new StateFailedException(StatesErrors.Runtime, $"Invalid path '{path}': The choice state's condition path references an invalid value.");
            }
            op = op[..^4];
        }
        return op switch
        {
            "IsNull" => (variable is null) == Expected(rule),
            "IsNumeric" => JsonValues.IsNumber(variable) == Expected(rule),
            "IsString" => JsonValues.IsString(variable) == Expected(rule),
            "IsBoolean" => JsonValues.IsBoolean(variable) == Expected(rule),
            "IsTimestamp" => IsTimestamp(variable) == Expected(rule),
            "StringMatches" => JsonValues.TryGetString(variable, out var text) && Glob(operand!.GetValue<string>()).IsMatch(text),
            "BooleanEquals" => JsonValues.TryGetBoolean(variable, out var left) && JsonValues.TryGetBoolean(operand, out var right) && left == right,
            _ when op.StartsWith("String", StringComparison.Ordinal) => CompareStrings(op["String".Length..], variable, operand),
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => CompareNumbers(op["Numeric".Length..], variable, operand),
            _ when op.StartsWith("Timestamp", StringComparison.Ordinal) => CompareTimestamps(op["Timestamp".Length..], variable, operand),
            _ => throw new StateFailedException(StatesErrors.Runtime, $"Unknown comparison operator '{rule.Operator}'."),
        };
    }

    private static bool Expected(ComparisonCondition rule) => JsonValues.TryGetBoolean(rule.Value, out var expected) && expected;

    private static bool IsTimestamp(JsonNode? value) => JsonValues.TryGetString(value, out var text) && Timestamps.TryParse(text, out _);

    private static bool CompareStrings(string relation, JsonNode? left, JsonNode? right) =>
        JsonValues.TryGetString(left, out var a) && JsonValues.TryGetString(right, out var b) && Holds(relation, string.CompareOrdinal(a, b));

    private static bool CompareNumbers(string relation, JsonNode? left, JsonNode? right) =>
        JsonValues.TryGetNumber(left, out var a) && JsonValues.TryGetNumber(right, out var b) && Holds(relation, a.CompareTo(b));

    private static bool CompareTimestamps(string relation, JsonNode? left, JsonNode? right) =>
        JsonValues.TryGetString(left, out var a) && Timestamps.TryParse(a, out var first)
        && JsonValues.TryGetString(right, out var b) && Timestamps.TryParse(b, out var second)
        && Holds(relation, first.CompareTo(second));

    private static bool Holds(string relation, int comparison) => relation switch
    {
        "Equals" => comparison == 0,
        "LessThan" => comparison < 0,
        "GreaterThan" => comparison > 0,
        "LessThanEquals" => comparison <= 0,
        "GreaterThanEquals" => comparison >= 0,
        _ => false,
    };

    /// <summary>StringMatches: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.</summary>
    private static Regex Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else if (pattern[i] == '*')
            {
                regex.Append(".*");
            }
            else
            {
                regex.Append(Regex.Escape(pattern[i].ToString()));
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
