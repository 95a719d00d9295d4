using System.Globalization;

namespace Pipeline.Domain.Scheduling;

/// <summary><c>rate(N minute|minutes|hour|hours|day|days)</c>: every N units from the anchor.</summary>
public sealed class RateSchedule(TimeSpan period, DateTimeOffset anchor) : ISchedule
{
    public TimeSpan Period { get; } = period;
    public DateTimeOffset Anchor { get; } = anchor;

    public static RateSchedule Parse(string body, DateTimeOffset anchor)
    {
        var parts = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new ScheduleExpressionException($"rate({body}) must be rate(N unit) with N a positive whole number");
        // EventBridge insists on the singular for 1 and the plural above it.
        var unit = parts[1];
        var expected = value == 1 ? unit is "minute" or "hour" or "day" : unit is "minutes" or "hours" or "days";
        if (!expected)
            throw new ScheduleExpressionException($"rate({body}): the unit must be {(value == 1 ? "minute, hour or day" : "minutes, hours or days")} for {value}");
        var period = unit.TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(value),
            "hour" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
        return new RateSchedule(period, anchor);
    }

    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (after < Anchor) return Anchor + Period;
        var periods = (after - Anchor).Ticks / Period.Ticks + 1;
        return Anchor + TimeSpan.FromTicks(Period.Ticks * periods);
    }
}
