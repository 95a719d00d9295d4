using System.Globalization;

namespace Pipeline.Engine.Recipes;

/// <summary>
/// Hyperparameters of aws-trending-now. <see cref="TrendDiscoveryFrequency"/> is Personalize's
/// <c>trend_discovery_frequency</c> feature transformation parameter (30 minutes, 1 hour, 2 hours, 3 hours or
/// 1 day; default 2 hours): the length of the two intervals compared. <see cref="Smoothing"/> (the engine's
/// <c>trend_smoothing</c>) is a pseudo-count added to the earlier interval so that a jump from 0 to 1 is not a trend.
/// </summary>
public sealed record TrendingNowOptions(TimeSpan TrendDiscoveryFrequency, double Smoothing = TrendingNowOptions.DefaultSmoothing)
{
    public const string TrendDiscoveryFrequencyKey = "trend_discovery_frequency";
    public const string SmoothingKey = "trend_smoothing";
    public const double DefaultSmoothing = 5;

    private static readonly (string Text, TimeSpan Length)[] Frequencies =
    [
        ("30 minutes", TimeSpan.FromMinutes(30)),
        ("1 hour", TimeSpan.FromHours(1)),
        ("2 hours", TimeSpan.FromHours(2)),
        ("3 hours", TimeSpan.FromHours(3)),
        ("1 day", TimeSpan.FromDays(1)),
    ];

    public TrendingNowOptions() : this(TimeSpan.FromHours(2)) { }

    /// <summary>Personalize's spelling of <see cref="TrendDiscoveryFrequency"/>, e.g. <c>2 hours</c>.</summary>
    public string TrendDiscoveryFrequencyText =>
        Array.Find(Frequencies, f => f.Length == TrendDiscoveryFrequency).Text
        ?? throw new InvalidOperationException($"{TrendDiscoveryFrequency} is not one of Personalize's trend discovery frequencies");

    public IReadOnlyDictionary<string, string> ToHyperParameters() => new Dictionary<string, string>
    {
        [TrendDiscoveryFrequencyKey] = TrendDiscoveryFrequencyText,
        [SmoothingKey] = Smoothing.ToString("R", CultureInfo.InvariantCulture),
    };

    public static TrendingNowOptions FromHyperParameters(IReadOnlyDictionary<string, string> hyperParameters)
    {
        ArgumentNullException.ThrowIfNull(hyperParameters);
        var frequency = TimeSpan.FromHours(2);
        if (hyperParameters.TryGetValue(TrendDiscoveryFrequencyKey, out var text))
        {
            var match = Array.FindIndex(Frequencies, f => string.Equals(f.Text, text.Trim(), StringComparison.OrdinalIgnoreCase));
            frequency = match >= 0
                ? Frequencies[match].Length
                : throw new ArgumentException(
                    $"{TrendDiscoveryFrequencyKey} must be one of {string.Join(", ", Frequencies.Select(f => $"'{f.Text}'"))} (got '{text}').",
                    nameof(hyperParameters));
        }
        var smoothing = DefaultSmoothing;
        if (hyperParameters.TryGetValue(SmoothingKey, out var smoothingText))
        {
            smoothing = double.TryParse(smoothingText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
                ? value
                : throw new ArgumentException($"{SmoothingKey} must be a positive number (got '{smoothingText}').", nameof(hyperParameters));
        }
        return new TrendingNowOptions(frequency, smoothing);
    }
}
