using System.Globalization;
using System.Text;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Cli.Reports;

/// <summary>Small inline SVG charts: a day axis, a value axis with a zero line, lines and interval bands.</summary>
internal static class Chart
{
    private const double Width = 540, Height = 220, Left = 56, Right = 12, Top = 12, Bottom = 30;

    public static string Lines(DateOnly[] days, (string Name, double[] Values)[] series, string[] palette, string unit, bool percent)
    {
        var all = series.SelectMany(s => s.Values).DefaultIfEmpty(0).ToArray();
        var (min, max) = Range(all.Append(0));
        min = Math.Max(min, 0); // counts: the axis starts at zero
        var svg = Open(days, min, max, percent);
        for (var s = 0; s < series.Length; s++)
        {
            svg.Append(Polyline(days.Length, series[s].Values.Select(v => (double?)v).ToArray(), min, max, palette[s % palette.Length], 2));
            svg.Append(Text(Left + 8, Top + 14 + 14 * s, series[s].Name, palette[s % palette.Length]));
        }
        svg.Append(Text(Width - Right - 40, Top + 14, unit, "#868e96"));
        return svg.Append("</svg>").ToString();
    }

    public static string Lift(DateOnly[] days, TimelineLift[] lifts)
    {
        // Early intervals are very wide; scaling to them would flatten the rest. The axis covers the fixed-horizon
        // intervals from the second quarter of the days on and today's sequential interval; wider bands are clipped.
        var settled = lifts.Skip(lifts.Length / 4).SelectMany(l => new[] { l.CiLow, l.CiHigh, l.Lift });
        var today = lifts.Length > 0 ? new[] { lifts[^1].SequentialLow, lifts[^1].SequentialHigh } : [];
        var values = settled.Concat(today).Where(v => v is not null).Select(v => v!.Value).Append(0);
        var (min, max) = Range(values);
        var svg = Open(days, min, max, percent: true);
        svg.Append(Band(days.Length, lifts.Select(l => l.SequentialLow).ToArray(), lifts.Select(l => l.SequentialHigh).ToArray(), min, max, "#d0ebff"));
        svg.Append(Band(days.Length, lifts.Select(l => l.CiLow).ToArray(), lifts.Select(l => l.CiHigh).ToArray(), min, max, "#74c0fc"));
        svg.Append(Polyline(days.Length, lifts.Select(l => l.Lift).ToArray(), min, max, "#1864ab", 2));
        return svg.Append("</svg>").ToString();
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var min = list.Min();
        var max = list.Max();
        if (max - min < 1e-12)
        {
            (min, max) = (min - 1, max + 1);
        }
        var pad = (max - min) * 0.05;
        return (min - pad, max + pad);
    }

    private static StringBuilder Open(DateOnly[] days, double min, double max, bool percent)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
        // Axes, gridlines at 5 ticks, and the zero line.
        for (var t = 0; t <= 4; t++)
        {
            var v = min + (max - min) * t / 4;
            var y = Y(v, min, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#f1f3f5\"/>");
            var label = percent ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : v.ToString("G3", CultureInfo.InvariantCulture);
            svg.Append(Text(4, y + 4, label, "#495057"));
        }
        if (min < 0 && max > 0)
        {
            var zero = Y(0, min, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{zero:0.#}\" y2=\"{zero:0.#}\" stroke=\"#495057\" stroke-dasharray=\"4 3\"/>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#adb5bd\"/>");
        if (days.Length > 0)
        {
            svg.Append(Text(Left, Height - 10, days[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "#495057"));
            svg.Append(Text(Width - Right - 70, Height - 10, days[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "#495057"));
        }
        return svg;
    }

    private static string Polyline(int count, double?[] values, double min, double max, string color, double width)
    {
        var points = Enumerable.Range(0, count).Where(i => values[i] is not null)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{X(i, count):0.#},{Y(values[i]!.Value, min, max):0.#}")).ToArray();
        if (points.Length == 1)
        {
            var xy = points[0].Split(',');
            return $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{color}\"/>";
        }
        return points.Length == 0 ? "" : $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\" points=\"{string.Join(' ', points)}\"/>";
    }

    private static string Band(int count, double?[] low, double?[] high, double min, double max, string color)
    {
        var idx = Enumerable.Range(0, count).Where(i => low[i] is not null && high[i] is not null).ToArray();
        if (idx.Length == 0)
        {
            return "";
        }
        var upper = idx.Select(i => string.Create(CultureInfo.InvariantCulture, $"{X(i, count):0.#},{Y(high[i]!.Value, min, max):0.#}"));
        var lower = idx.Reverse().Select(i => string.Create(CultureInfo.InvariantCulture, $"{X(i, count):0.#},{Y(low[i]!.Value, min, max):0.#}"));
        if (idx.Length == 1)
        {
            var x = X(idx[0], count);
            return string.Create(CultureInfo.InvariantCulture,
                $"<rect x=\"{x - 4:0.#}\" width=\"8\" y=\"{Y(high[idx[0]]!.Value, min, max):0.#}\" height=\"{Y(low[idx[0]]!.Value, min, max) - Y(high[idx[0]]!.Value, min, max):0.#}\" fill=\"{color}\"/>");
        }
        return $"<polygon fill=\"{color}\" stroke=\"none\" points=\"{string.Join(' ', upper.Concat(lower))}\"/>";
    }

    private static string Text(double x, double y, string text, string color) =>
        string.Create(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"11\" fill=\"{color}\">{System.Net.WebUtility.HtmlEncode(text)}</text>");

    private static double X(int i, int count) => count <= 1 ? (Left + Width - Right) / 2 : Left + 8 + (Width - Right - Left - 16) * i / (count - 1);

    private static double Y(double v, double min, double max) => Top + (Height - Top - Bottom) * (1 - (Math.Clamp(v, min, max) - min) / (max - min));
}
