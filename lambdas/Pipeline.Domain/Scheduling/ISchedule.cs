namespace Pipeline.Domain.Scheduling;

/// <summary>When a scheduled rule fires.</summary>
public interface ISchedule
{
    /// <summary>The first time strictly after <paramref name="after"/> the rule fires (UTC), or null when it never does again.</summary>
    DateTimeOffset? NextAfter(DateTimeOffset after);
}

/// <summary>A schedule expression EventBridge would reject, or one using a feature not supported here.</summary>
public sealed class ScheduleExpressionException(string message) : FormatException(message);
