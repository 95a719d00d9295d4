namespace Pipeline.StatesLanguage.Definition;

/// <summary>A Retry rule; defaults are the States Language's: 1 s interval, 3 attempts, backoff 2.0, no jitter.</summary>
public sealed record Retrier(
    IReadOnlyList<string> ErrorEquals,
    decimal IntervalSeconds = 1,
    int MaxAttempts = 3,
    double BackoffRate = 2.0,
    decimal? MaxDelaySeconds = null,
    JitterStrategy JitterStrategy = JitterStrategy.None);

public enum JitterStrategy
{
    None,
    Full,
}

/// <summary>A Catch rule: on a matching error, go to Next with {Error, Cause} placed at ResultPath.</summary>
public sealed record Catcher(IReadOnlyList<string> ErrorEquals, string Next, string? ResultPath = "$");
