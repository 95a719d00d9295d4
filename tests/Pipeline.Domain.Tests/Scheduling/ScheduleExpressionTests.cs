using System.Globalization;
using Pipeline.Domain.Scheduling;

namespace Pipeline.Domain.Tests.Scheduling;

public sealed class ScheduleExpressionTests
{
    private static readonly DateTimeOffset Anchor = At("2026-11-25T12:34:56Z");

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private static string Next(string expression, string after) =>
        ScheduleExpression.Parse(expression, Anchor).NextAfter(At(after))!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z' ddd", CultureInfo.InvariantCulture);

    [Theory]
    // The nightly default: 03:00 UTC, strictly after the given time.
    [InlineData("cron(0 3 * * ? *)", "2026-11-25T02:59:59Z", "2026-11-25T03:00Z Wed")]
    [InlineData("cron(0 3 * * ? *)", "2026-11-25T03:00:00Z", "2026-11-26T03:00Z Thu")]
    [InlineData("cron(0 3 * * ? *)", "2026-12-31T04:00:00Z", "2027-01-01T03:00Z Fri")]
    // Lists, ranges, steps and names.
    [InlineData("cron(0/15 * * * ? *)", "2026-11-25T10:07:00Z", "2026-11-25T10:15Z Wed")]
    [InlineData("cron(*/20 9-17 * * ? *)", "2026-11-25T17:41:00Z", "2026-11-26T09:00Z Thu")]
    [InlineData("cron(5,35 14 * * ? *)", "2026-11-25T14:05:00Z", "2026-11-25T14:35Z Wed")]
    [InlineData("cron(0 18 ? * MON-FRI *)", "2026-11-27T18:00:00Z", "2026-11-30T18:00Z Mon")]
    [InlineData("cron(0 8 1 JAN,JUL ? *)", "2026-11-25T00:00:00Z", "2027-01-01T08:00Z Fri")]
    [InlineData("cron(0 0 ? * 1 *)", "2026-11-25T00:00:00Z", "2026-11-29T00:00Z Sun")]
    // L: last day of the month (February of a leap year), last Friday, Saturday.
    [InlineData("cron(0 12 L * ? *)", "2028-02-01T00:00:00Z", "2028-02-29T12:00Z Tue")]
    [InlineData("cron(0 12 ? * 6L *)", "2026-11-01T00:00:00Z", "2026-11-27T12:00Z Fri")]
    [InlineData("cron(0 12 ? * L *)", "2026-11-25T00:00:00Z", "2026-11-28T12:00Z Sat")]
    // W: the weekday nearest the 1st when the 1st is a Saturday is Monday the 3rd; LW: the last weekday.
    [InlineData("cron(0 9 1W * ? *)", "2026-07-25T00:00:00Z", "2026-08-03T09:00Z Mon")]
    [InlineData("cron(0 9 15W * ? *)", "2026-11-01T00:00:00Z", "2026-11-16T09:00Z Mon")]
    [InlineData("cron(0 9 LW * ? *)", "2026-05-01T00:00:00Z", "2026-05-29T09:00Z Fri")]
    // #: the second Tuesday; the first Monday.
    [InlineData("cron(0 10 ? * 3#2 *)", "2026-11-25T00:00:00Z", "2026-12-08T10:00Z Tue")]
    [InlineData("cron(0 10 ? * MON#1 *)", "2026-11-25T00:00:00Z", "2026-12-07T10:00Z Mon")]
    // Year.
    [InlineData("cron(0 0 1 1 ? 2030)", "2026-11-25T00:00:00Z", "2030-01-01T00:00Z Tue")]
    // rate(): every period from the anchor (12:34:56).
    [InlineData("rate(5 minutes)", "2026-11-25T12:40:00Z", "2026-11-25T12:44Z Wed")]
    [InlineData("rate(1 hour)", "2026-11-25T12:00:00Z", "2026-11-25T13:34Z Wed")]
    [InlineData("rate(1 day)", "2026-11-26T12:34:56Z", "2026-11-27T12:34Z Fri")]
    public void NextAfter_GivesEventBridgesNextTime(string expression, string after, string expected)
    {
        Assert.Equal(expected, Next(expression, after));
    }

    [Fact]
    public void NextAfter_WhenTheYearsAreOver_IsNull()
    {
        Assert.Null(ScheduleExpression.Parse("cron(0 0 1 1 ? 2020)", Anchor).NextAfter(Anchor));
    }

    [Theory]
    [InlineData("cron(0 3 * * * *)", "exactly one of Day-of-month and Day-of-week")]
    [InlineData("cron(0 3 ? * ? *)", "exactly one of Day-of-month and Day-of-week")]
    [InlineData("cron(0 3 * * ?)", "six fields")]
    [InlineData("cron(60 3 * * ? *)", "Minutes: 60 is outside 0-59")]
    [InlineData("cron(0 24 * * ? *)", "Hours: 24 is outside 0-23")]
    [InlineData("cron(0 3 32 * ? *)", "Day-of-month: 32")]
    [InlineData("cron(0 3 ? * 8 *)", "Day-of-week: 8")]
    [InlineData("cron(0 3 ? FOO * ? *)", "six fields")]
    [InlineData("cron(0 3 * FOO ? *)", "Month: 'FOO'")]
    [InlineData("cron(0 3 ? * FRI-MON *)", "runs backwards")]
    [InlineData("cron(0 3 ? * 2#6 *)", "Day-of-week (#): 6")]
    [InlineData("cron(0 3 L-2 * ? *)", "Day-of-month: 'L-2'")]
    [InlineData("rate(1 minutes)", "must be minute, hour or day for 1")]
    [InlineData("rate(5 minute)", "must be minutes, hours or days for 5")]
    [InlineData("rate(0 minutes)", "positive whole number")]
    [InlineData("rate(5 weeks)", "must be minutes, hours or days")]
    [InlineData("at(2026-11-25T03:00:00)", "must be cron(...) or rate(...)")]
    public void Parse_RejectsWhatEventBridgeRejectsOrIsUnsupported_NamingTheProblem(string expression, string problem)
    {
        var e = Assert.Throws<ScheduleExpressionException>(() => ScheduleExpression.Parse(expression, Anchor));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
