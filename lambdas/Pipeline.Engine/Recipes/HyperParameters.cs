using System.Globalization;

namespace Pipeline.Engine.Recipes;

/// <summary>Reads Personalize-style string hyperparameters with a clear error naming the parameter.</summary>
public static class HyperParameters
{
    public static double Double(IReadOnlyDictionary<string, string> values, string name, double fallback, double min, double max)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            throw new ArgumentException($"hyperparameter {name} must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (got '{text}')");
        return value;
    }

    public static int Int(IReadOnlyDictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new ArgumentException($"hyperparameter {name} must be an integer between {min} and {max} (got '{text}')");
        return value;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
