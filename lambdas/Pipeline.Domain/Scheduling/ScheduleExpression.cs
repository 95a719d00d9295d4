namespace Pipeline.Domain.Scheduling;

/// <summary>EventBridge schedule expressions: <c>cron(Minutes Hours Day-of-month Month Day-of-week Year)</c> or <c>rate(N unit)</c>, in UTC.</summary>
public static class ScheduleExpression
{
    /// <param name="text">The expression, as the rule's ScheduleExpression.</param>
    /// <param name="rateAnchor">Where a rate() schedule counts from (EventBridge: when the rule is created; locally: when the scheduler starts).</param>
    public static ISchedule Parse(string text, DateTimeOffset rateAnchor)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("cron(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            return CronSchedule.Parse(trimmed[5..^1]);
        if (trimmed.StartsWith("rate(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            return RateSchedule.Parse(trimmed[5..^1], rateAnchor);
        throw new ScheduleExpressionException($"schedule expression '{text}' must be cron(...) or rate(...)");
    }
}
