using System.Text;

namespace Pipeline.Engine.Filters;

/// <summary>
/// Reads one entry of GetRecommendations' <c>filterValues</c>: Personalize passes a placeholder's values as one
/// string of comma-separated items, strings in escaped double quotes (<c>"\"books\",\"games\""</c>), numbers bare.
/// </summary>
public static class FilterValues
{
    public static IReadOnlyList<string> Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i < text.Length && text[i] == '"')
            {
                var value = new StringBuilder();
                var start = i++;
                while (true)
                {
                    if (i == text.Length) throw Invalid(name, text, $"the string that starts at {start} has no closing quote");
                    var c = text[i++];
                    if (c == '"') break;
                    if (c == '\\' && i < text.Length) c = text[i++];
                    value.Append(c);
                }
                values.Add(value.ToString());
            }
            else
            {
                var start = i;
                while (i < text.Length && text[i] != ',') i++;
                var bare = text[start..i].Trim();
                if (bare.Length == 0) throw Invalid(name, text, $"an empty value at {start}");
                values.Add(bare);
            }
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i == text.Length) return values;
            if (text[i] != ',') throw Invalid(name, text, $"expected ',' at {i}, found '{text[i]}'");
            i++;
        }
    }

    private static ArgumentException Invalid(string name, string text, string problem) =>
        new($"filter value for ${name} is malformed ({problem}): {text}", nameof(text));
}
