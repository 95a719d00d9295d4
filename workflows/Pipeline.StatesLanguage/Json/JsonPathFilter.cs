using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Json;

/// <summary>The filter expressions Step Functions accepts in paths: `[?(@.price &lt; 10 &amp;&amp; @.tag)]`.</summary>
internal abstract record JsonPathFilter
{
    public abstract bool Matches(JsonNode? candidate);
}

/// <summary>`@.a.b` alone: true when the relative path exists.</summary>
internal sealed record ExistsFilter(IReadOnlyList<JsonPathSegment> RelativePath) : JsonPathFilter
{
    public override bool Matches(JsonNode? candidate) => JsonPath.SelectRelative(candidate, RelativePath).Any();
}

internal sealed record ComparisonFilter(IReadOnlyList<JsonPathSegment> RelativePath, string Operator, JsonNode? Literal) : JsonPathFilter
{
    public override bool Matches(JsonNode? candidate)
    {
        var found = JsonPath.SelectRelative(candidate, RelativePath).ToList();
        if (found.Count != 1)
        {
            return false;
        }
        var value = found[0];
        if (Operator is "==" or "!=")
        {
            var equal = JsonValues.TryGetNumber(value, out var a) && JsonValues.TryGetNumber(Literal, out var b)
                ? a == b
                : JsonValues.DeepEquals(value, Literal);
            return Operator == "==" ? equal : !equal;
        }
        int comparison;
        if (JsonValues.TryGetNumber(value, out var left) && JsonValues.TryGetNumber(Literal, out var right))
        {
            comparison = left.CompareTo(right);
        }
        else if (JsonValues.TryGetString(value, out var leftText) && JsonValues.TryGetString(Literal, out var rightText))
        {
            comparison = string.CompareOrdinal(leftText, rightText);
        }
        else
        {
            return false;
        }
        return Operator switch
        {
            "<" => comparison < 0,
            "<=" => comparison <= 0,
            ">" => comparison > 0,
            ">=" => comparison >= 0,
            _ => false,
        };
    }
}

internal sealed record AndFilter(JsonPathFilter Left, JsonPathFilter Right) : JsonPathFilter
{
    public override bool Matches(JsonNode? candidate) => Left.Matches(candidate) && Right.Matches(candidate);
}

internal sealed record OrFilter(JsonPathFilter Left, JsonPathFilter Right) : JsonPathFilter
{
    public override bool Matches(JsonNode? candidate) => Left.Matches(candidate) || Right.Matches(candidate);
}
