using System.Globalization;

namespace Pipeline.Engine.Benchmarks.Probes;

/// <summary>`--name value` pairs after the probe's name; unknown names or bad numbers stop the probe with a one-line message.</summary>
internal sealed class ProbeArguments(string[] args)
{
    public int Int(string name, int fallback)
    {
        var at = Array.IndexOf(args, "--" + name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"--{name} needs a positive integer");
        return value;
    }
}
