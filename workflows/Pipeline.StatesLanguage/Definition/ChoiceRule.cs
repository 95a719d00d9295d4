using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Definition;

/// <summary>A top-level Choice rule: when its condition holds, the machine goes to Next.</summary>
public sealed record ChoiceRule(ChoiceCondition Condition, string Next);

public abstract record ChoiceCondition;

public sealed record AndCondition(IReadOnlyList<ChoiceCondition> Conditions) : ChoiceCondition;

public sealed record OrCondition(IReadOnlyList<ChoiceCondition> Conditions) : ChoiceCondition;

public sealed record NotCondition(ChoiceCondition Condition) : ChoiceCondition;

/// <summary>
/// `Variable` compared by an operator such as StringEquals, NumericLessThanPath or IsPresent. For *Path operators
/// <see cref="Value"/> holds the path string; for the Is* tests, the expected boolean.
/// </summary>
public sealed record ComparisonCondition(string Variable, string Operator, JsonNode? Value) : ChoiceCondition;
