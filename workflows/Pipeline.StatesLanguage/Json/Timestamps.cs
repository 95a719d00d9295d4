using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.StatesLanguage.Json;

/// <summary>RFC 3339 timestamps as the States Language uses them: an uppercase T, and Z or a numeric offset.</summary>
public static partial class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
