namespace Pipeline.Console.Benchmarks;

/// <summary>
/// The benchmark's arguments: a running API to measure (or none: start `pipeline up`), its admin key, the rounds, and
/// whether pages run their scripts (<c>--scripts off</c> measures the server-rendered document alone: the scripts' share).
/// </summary>
public sealed record FirstPaintOptions(Uri? Url, string? ApiKey, int Rounds, bool Scripts = true)
{
    /// <summary>The options, or null when an argument is unknown, lacks its value or is out of range.</summary>
    public static FirstPaintOptions? Parse(IReadOnlyList<string> args)
    {
        Uri? url = null;
        string? apiKey = null;
        var rounds = 10;
        var scripts = true;
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) return null;
            var value = args[i + 1];
            switch (args[i])
            {
                case "--url" when Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var parsed):
                    url = parsed;
                    break;
                case "--api-key":
                    apiKey = value;
                    break;
                case "--rounds" when int.TryParse(value, out var n) && n is >= 1 and <= 100:
                    rounds = n;
                    break;
                case "--scripts" when value is "on" or "off":
                    scripts = value == "on";
                    break;
                default:
                    return null;
            }
        }
        return new FirstPaintOptions(url, apiKey, rounds, scripts);
    }
}
