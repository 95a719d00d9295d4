using System.Globalization;

namespace Pipeline.Engine.Training;

/// <summary>
/// The parts of a Personalize solution's configuration that choose training rows: CreateSolution's
/// <c>eventType</c> (only that event type) and <c>solutionConfig.eventValueThreshold</c> (only events whose
/// EVENT_VALUE is at least the threshold).
/// </summary>
public sealed record SolutionDataConfig(string? EventType = null, double? EventValueThreshold = null)
{
    public const string EventTypeKey = "eventType";
    public const string EventValueThresholdKey = "eventValueThreshold";

    /// <summary>
    /// Reads <c>eventType</c> and <c>eventValueThreshold</c> from a recipe's hyperparameters (the engine carries
    /// the solution config there, as strings, the way CreateSolution takes them).
    /// </summary>
    public static SolutionDataConfig FromHyperParameters(IReadOnlyDictionary<string, string> hyperParameters)
    {
        ArgumentNullException.ThrowIfNull(hyperParameters);
        var eventType = hyperParameters.TryGetValue(EventTypeKey, out var type) && !string.IsNullOrEmpty(type) ? type : null;
        double? threshold = null;
        if (hyperParameters.TryGetValue(EventValueThresholdKey, out var text) && !string.IsNullOrEmpty(text))
        {
            threshold = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new ArgumentException($"{EventValueThresholdKey} must be a number (got '{text}').", nameof(hyperParameters));
        }
        return new SolutionDataConfig(eventType, threshold);
    }
}
