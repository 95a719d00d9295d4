using System.Globalization;

namespace Pipeline.Domain.Scheduling;

/// <summary>
/// EventBridge's six-field cron, in UTC: Minutes (0-59), Hours (0-23), Day-of-month (1-31), Month (1-12 or JAN-DEC),
/// Day-of-week (1-7 or SUN-SAT, 1 = Sunday), Year (1970-2199). Every field takes <c>,</c> <c>-</c> <c>*</c> <c>/</c>;
/// exactly one of Day-of-month and Day-of-week is <c>?</c>. Day-of-month also takes <c>L</c> (last day), <c>nW</c>
/// (the weekday nearest day n, within the month) and <c>LW</c> (last weekday); Day-of-week takes <c>L</c> (Saturday),
/// <c>nL</c> (the last day n of the month) and <c>n#k</c> (the k-th day n of the month). Anything else is rejected.
/// </summary>
public sealed class CronSchedule : ISchedule
{
    private const int FirstYear = 1970;
    private const int LastYear = 2199;

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes = new bool[60];
    private readonly bool[] _hours = new bool[24];
    private readonly bool[] _months = new bool[13];
    private readonly bool[] _years = new bool[LastYear + 1];
    private readonly DayOfMonthRule? _dayOfMonth;
    private readonly DayOfWeekRule? _dayOfWeek;

    private sealed class DayOfMonthRule
    {
        public readonly bool[] Days = new bool[32];
        public bool Last;
        public bool LastWeekday;
        public readonly List<int> NearestWeekday = [];
    }

    private sealed class DayOfWeekRule
    {
        public readonly bool[] Days = new bool[8]; // 1 = Sunday … 7 = Saturday
        public readonly List<int> LastOfMonth = [];
        public readonly List<(int Day, int Nth)> Nth = [];
    }

    private CronSchedule(string[] fields)
    {
        Fill(_minutes, fields[0], 0, 59, null, "Minutes");
        Fill(_hours, fields[1], 0, 23, null, "Hours");
        Fill(_months, fields[3], 1, 12, MonthNames, "Month");
        Fill(_years, fields[5], FirstYear, LastYear, null, "Year");
        var domAny = fields[2] == "?";
        var dowAny = fields[4] == "?";
        if (domAny == dowAny)
            throw new ScheduleExpressionException("exactly one of Day-of-month and Day-of-week must be '?' (EventBridge does not combine them)");
        if (!domAny) _dayOfMonth = ParseDayOfMonth(fields[2]);
        if (!dowAny) _dayOfWeek = ParseDayOfWeek(fields[4]);
    }

    public static CronSchedule Parse(string body)
    {
        var fields = body.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
            throw new ScheduleExpressionException($"cron({body}) must have six fields (Minutes Hours Day-of-month Month Day-of-week Year), found {fields.Length}");
        return new CronSchedule([.. fields.Select(f => f.ToUpperInvariant())]);
    }

    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var utc = after.UtcDateTime;
        // Strictly after: the next whole minute.
        var start = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        for (var day = start.Date; day.Year <= LastYear; day = day.AddDays(1))
        {
            if (!_years[day.Year])
            {
                day = new DateTime(day.Year, 12, 31, 0, 0, 0, DateTimeKind.Utc);
                continue;
            }
            if (!_months[day.Month])
            {
                day = new DateTime(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month), 0, 0, 0, DateTimeKind.Utc);
                continue;
            }
            if (!DayMatches(day)) continue;
            var firstHour = day == start.Date ? start.Hour : 0;
            for (var hour = firstHour; hour < 24; hour++)
            {
                if (!_hours[hour]) continue;
                var firstMinute = day == start.Date && hour == start.Hour ? start.Minute : 0;
                for (var minute = firstMinute; minute < 60; minute++)
                {
                    if (_minutes[minute]) return new DateTimeOffset(day.AddHours(hour).AddMinutes(minute), TimeSpan.Zero);
                }
            }
        }
        return null;
    }

    private bool DayMatches(DateTime day)
    {
        var daysInMonth = DateTime.DaysInMonth(day.Year, day.Month);
        if (_dayOfMonth is { } dom)
        {
            if (dom.Days[day.Day]) return true;
            if (dom.Last && day.Day == daysInMonth) return true;
            if (dom.LastWeekday && day.Day == NearestWeekday(day.Year, day.Month, daysInMonth)) return true;
            return dom.NearestWeekday.Any(n => n <= daysInMonth && day.Day == NearestWeekday(day.Year, day.Month, n));
        }
        var dow = _dayOfWeek!;
        var weekday = (int)day.DayOfWeek + 1;
        if (dow.Days[weekday]) return true;
        if (dow.LastOfMonth.Contains(weekday) && day.Day + 7 > daysInMonth) return true;
        return dow.Nth.Any(n => n.Day == weekday && (day.Day - 1) / 7 + 1 == n.Nth);
    }

    /// <summary>The weekday (Mon-Fri) nearest to day n of the month, never leaving the month.</summary>
    private static int NearestWeekday(int year, int month, int n)
    {
        var date = new DateTime(year, month, n, 0, 0, 0, DateTimeKind.Utc);
        var last = DateTime.DaysInMonth(year, month);
        return date.DayOfWeek switch
        {
            DayOfWeek.Saturday => n == 1 ? 3 : n - 1,
            DayOfWeek.Sunday => n == last ? n - 2 : n + 1,
            _ => n,
        };
    }

    private static DayOfMonthRule ParseDayOfMonth(string field)
    {
        var rule = new DayOfMonthRule();
        foreach (var item in field.Split(','))
        {
            if (item == "L") rule.Last = true;
            else if (item == "LW") rule.LastWeekday = true;
            else if (item.StartsWith('L'))
                throw new ScheduleExpressionException($"Day-of-month: '{item}' is not supported (of the L forms, only L and LW)");
            else if (item.EndsWith('W'))
                rule.NearestWeekday.Add(Number(item[..^1], 1, 31, null, "Day-of-month"));
            else Fill(rule.Days, item, 1, 31, null, "Day-of-month");
        }
        return rule;
    }

    private static DayOfWeekRule ParseDayOfWeek(string field)
    {
        var rule = new DayOfWeekRule();
        foreach (var item in field.Split(','))
        {
            if (item == "L") rule.Days[7] = true; // the last day of the week
            else if (item.Length > 1 && item.EndsWith('L'))
                rule.LastOfMonth.Add(Number(item[..^1], 1, 7, DayNames, "Day-of-week"));
            else if (item.Split('#') is [var day, var nth])
                rule.Nth.Add((Number(day, 1, 7, DayNames, "Day-of-week"), Number(nth, 1, 5, null, "Day-of-week (#)")));
            else Fill(rule.Days, item, 1, 7, DayNames, "Day-of-week");
        }
        return rule;
    }

    /// <summary>Sets the values one comma-separated field (or one item of it) names: <c>*</c>, <c>a</c>, <c>a-b</c>, with an optional <c>/step</c>.</summary>
    private static void Fill(bool[] set, string field, int min, int max, string[]? names, string what)
    {
        foreach (var item in field.Split(','))
        {
            var (range, stepText) = item.Split('/') switch
            {
                [var r] => (r, null),
                [var r, var s] => (r, s),
                _ => throw new ScheduleExpressionException($"{what}: '{item}' has more than one '/'"),
            };
            var step = stepText is null ? 1 : Number(stepText, 1, max - min + 1, null, what + " step");
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b])
            {
                (from, to) = (Number(a, min, max, names, what), Number(b, min, max, names, what));
                if (from > to) throw new ScheduleExpressionException($"{what}: the range '{range}' runs backwards (wrapping ranges are not supported)");
            }
            else
            {
                from = Number(range, min, max, names, what);
                // "a/step" runs from a to the end of the field.
                to = stepText is null ? from : max;
            }
            for (var v = from; v <= to; v += step) set[v] = true;
        }
    }

    private static int Number(string text, int min, int max, string[]? names, string what)
    {
        if (names is not null && Array.IndexOf(names, text) is >= 0 and var index) return index + min;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new ScheduleExpressionException($"{what}: '{text}' is not a value this field accepts");
        if (value < min || value > max)
            throw new ScheduleExpressionException($"{what}: {value} is outside {min}-{max}");
        return value;
    }
}
