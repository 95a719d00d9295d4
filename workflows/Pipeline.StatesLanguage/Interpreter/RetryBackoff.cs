using Pipeline.StatesLanguage.Definition;

namespace Pipeline.StatesLanguage.Interpreter;

internal static class RetryBackoff
{
    /// <summary>
    /// The wait before retry number <paramref name="retriesSoFar"/> + 1: IntervalSeconds × BackoffRate^retriesSoFar,
    /// capped at MaxDelaySeconds; FULL jitter then picks uniformly between 0 and that.
    /// </summary>
    public static TimeSpan Delay(Retrier retrier, int retriesSoFar, Random random)
    {
        var seconds = (double)retrier.IntervalSeconds * Math.Pow(retrier.BackoffRate, retriesSoFar);
        if (retrier.MaxDelaySeconds is { } max)
        {
            seconds = Math.Min(seconds, (double)max);
        }
        if (retrier.JitterStrategy == JitterStrategy.Full)
        {
            seconds *= random.NextDouble();
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
