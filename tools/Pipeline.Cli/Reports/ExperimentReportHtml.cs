using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Api.Http;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Cli.Reports;

/// <summary>
/// A self-contained HTML report of <see cref="ExperimentResults"/>: tables, inline SVG charts, no scripts,
/// no external fonts or styles. The results are also embedded as the same JSON the results endpoint returns.
/// </summary>
public static class ExperimentReportHtml
{
    private static readonly string[] Palette = ["#4c6ef5", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#1098ad"];

    public static string Render(ExperimentResults r, DateTimeOffset generatedAt)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Experiment ")
            .Append(E(r.ExperimentKey)).Append("</title><style>")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#212529}")
            .Append("table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #dee2e6;padding:4px 6px;text-align:right;font-size:12px}")
            .Append("th{background:#f1f3f5}td:first-child,th:first-child{text-align:left}.ok{background:#d3f9d8;padding:8px}.bad{background:#ffc9c9;padding:8px}")
            .Append(".muted{color:#868e96;font-size:12px}h2{margin-top:28px}svg{background:#fff;border:1px solid #dee2e6;margin:4px 8px 12px 0}")
            .Append("</style></head><body>");
        html.Append("<h1>Experiment <code>").Append(E(r.ExperimentKey)).Append("</code></h1>");
        html.Append("<p>Status <b>").Append(E(r.Status)).Append("</b> · phase ").Append(r.Phase)
            .Append(" · control <b>").Append(E(r.Control)).Append("</b> · primary metric <b>").Append(E(r.PrimaryMetric))
            .Append("</b> · minimum detectable effect ").Append(Pct(r.MinimumDetectableEffect))
            .Append(" · data ").Append(r.FirstDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none")
            .Append(" to ").Append(r.LastDay?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none").Append("</p>");

        Srm(html, r);
        Variants(html, r);
        Exposures(html, r);
        foreach (var metric in r.Metrics)
        {
            Metric(html, r, metric);
        }
        Guardrails(html, r);

        html.Append("<p class=\"muted\">α = ").Append(N(r.Settings.Alpha)).Append("; sequential intervals: mixture SPRT tuned at N* = ")
            .Append(N(r.Settings.SequentialTuningSampleSize)).Append("; attribution window ").Append(N(r.Settings.AttributionWindowDays))
            .Append(" days; CUPED covariate: ").Append(E(r.Settings.Covariate)).Append("; multiple testing: ").Append(E(r.Settings.MultipleTesting))
            .Append(". Generated ").Append(generatedAt.ToString("u", CultureInfo.InvariantCulture)).Append(".</p>");
        // The same document GET /experiments/{key}/results returns; a data block, not a script.
        html.Append("<script type=\"application/json\" id=\"results\">")
            .Append(JsonSerializer.Serialize(r, ApiJsonContext.Default.ExperimentResults).Replace("</", "<\\/", StringComparison.Ordinal))
            .Append("</script></body></html>");
        return html.ToString();
    }

    private static void Srm(StringBuilder html, ExperimentResults r)
    {
        var s = r.Srm;
        var cls = s.Mismatch ? "bad" : "ok";
        html.Append("<h2>Sample ratio</h2><div class=\"").Append(cls).Append("\">");
        html.Append(s.Mismatch ? "<b>Sample ratio mismatch</b> " : s.PValue is null ? "<b>Not checked</b> " : "<b>No sample ratio mismatch</b> ");
        html.Append("(χ² = ").Append(N(s.ChiSquare)).Append(", p = ").Append(P(s.PValue)).Append(", flagged when p &lt; 0.001). Users ");
        html.Append(string.Join(" / ", s.Users.Select(u => u.ToString(CultureInfo.InvariantCulture))))
            .Append(" against expected shares ").Append(string.Join(" / ", s.ExpectedShares.Select(x => Pct(x))));
        if (s.CountedFrom is { } from)
        {
            html.Append(", counting users who entered from ").Append(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        if (s.Note is { } note)
        {
            html.Append(". ").Append(E(note));
        }
        html.Append(".</div>");
    }

    private static void Variants(StringBuilder html, ExperimentResults r)
    {
        html.Append("<h2>Variants</h2><table><tr><th>variant</th><th>weight</th><th>users</th><th>exposures</th><th>clickers</th><th>purchasers</th>")
            .Append("<th>ctr</th><th>conversion_rate</th><th>revenue_per_user</th><th>clicks_per_user</th><th>fallback_rate</th><th>latency_ms</th></tr>");
        foreach (var v in r.Variants)
        {
            html.Append("<tr><td>").Append(E(v.Key)).Append("</td><td>").Append(N(v.Weight)).Append("</td><td>").Append(v.Users)
                .Append("</td><td>").Append(v.Exposures).Append("</td><td>").Append(v.Clickers).Append("</td><td>").Append(v.Purchasers)
                .Append("</td><td>").Append(N(v.Ctr)).Append("</td><td>").Append(N(v.ConversionRate)).Append("</td><td>").Append(N(v.RevenuePerUser))
                .Append("</td><td>").Append(N(v.ClicksPerUser)).Append("</td><td>").Append(N(v.FallbackRate)).Append("</td><td>").Append(N(v.MeanLatencyMs))
                .Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static void Exposures(StringBuilder html, ExperimentResults r)
    {
        html.Append("<h2>Exposed users per variant (cumulative)</h2>");
        var series = r.Variants.Select((v, i) => (v.Key, r.Timeline.Select(p => (double)p.Users[i]).ToArray())).ToArray();
        html.Append(Chart.Lines(r.Timeline.Select(p => p.Day).ToArray(), series, Palette, "users", percent: false));
    }

    private static void Metric(StringBuilder html, ExperimentResults r, MetricResult m)
    {
        html.Append("<h2>").Append(E(m.Metric)).Append(m.Primary ? " (primary)" : "").Append("</h2>");
        html.Append("<p class=\"muted\">Users needed per variant for a ").Append(Pct(r.MinimumDetectableEffect)).Append(" lift at 80% power: ")
            .Append(m.UsersNeededPerVariant?.ToString(CultureInfo.InvariantCulture) ?? "n/a").Append("; power now: ").Append(Pct(m.PowerNow)).Append("</p>");
        html.Append("<table><tr><th>variant</th><th>control</th><th>treatment</th><th>absolute lift [95% CI]</th><th>relative lift [95% CI]</th>")
            .Append("<th>sequential [always valid]</th><th>chance to win</th><th>CUPED relative [95% CI]</th><th>variance reduction</th><th>p</th><th>Holm p</th><th>BH p</th></tr>");
        foreach (var c in m.Comparisons)
        {
            html.Append("<tr><td>").Append(E(c.Variant)).Append("</td><td>").Append(N(c.ControlValue)).Append("</td><td>").Append(N(c.TreatmentValue))
                .Append("</td><td>").Append(Interval(c.Absolute, percent: false)).Append("</td><td>").Append(Interval(c.Relative, percent: true))
                .Append("</td><td>").Append(Interval(c.SequentialRelative, percent: true)).Append("</td><td>").Append(Pct(c.ChanceToWin))
                .Append("</td><td>").Append(Interval(c.Cuped?.Relative, percent: true)).Append("</td><td>").Append(Pct(c.Cuped?.VarianceReduction))
                .Append("</td><td>").Append(P(c.Absolute?.PValue)).Append("</td><td>").Append(P(c.HolmPValue)).Append("</td><td>").Append(P(c.BenjaminiHochbergPValue))
                .Append("</td></tr>");
        }
        html.Append("</table>");
        foreach (var c in m.Comparisons)
        {
            var lifts = r.Timeline.Select(p => p.Lifts.First(l => l.Metric == m.Metric && l.Variant == c.Variant)).ToArray();
            html.Append("<div><b>").Append(E(c.Variant)).Append(" vs ").Append(E(r.Control))
                .Append("</b>: cumulative relative lift (line), 95% interval (dark band), sequential interval (light band)<br>");
            html.Append(Chart.Lift(r.Timeline.Select(p => p.Day).ToArray(), lifts));
            html.Append("</div>");
        }
    }

    private static void Guardrails(StringBuilder html, ExperimentResults r)
    {
        html.Append("<h2>Guardrails</h2><p class=\"muted\">Treatment − control per served list. The verdict follows the always-valid ")
            .Append("sequential interval, which an online gate rolls back on at every poll; the fixed-horizon interval is valid for one look only, ")
            .Append("so harm that it alone shows is reported but not acted on. ")
            .Append("For latency_p99_ms, control and treatment are each arm's p99 in ms (the upper bound of its histogram bucket) and the difference ")
            .Append("is between the shares of lists slower than the threshold shown, the lower bound of the bucket that holds both arms' pooled p99.</p>");
        html.Append("<table id=\"guardrails\"><tr><th scope=\"col\">metric</th><th scope=\"col\">variant</th><th scope=\"col\">control</th>")
            .Append("<th scope=\"col\">treatment</th><th scope=\"col\">difference [fixed-horizon ").Append(Level(r.Settings.Alpha)).Append(" CI]</th>")
            .Append("<th scope=\"col\">sequential [always-valid ").Append(Level(r.Settings.GuardrailAlpha)).Append(" CI]</th>")
            .Append("<th scope=\"col\">verdict</th></tr>");
        foreach (var g in r.Guardrails)
        {
            html.Append("<tr><td>").Append(E(g.Metric)).Append("</td><td>").Append(E(g.Variant)).Append("</td><td>").Append(N(g.ControlValue))
                .Append("</td><td>").Append(N(g.TreatmentValue)).Append("</td><td>").Append(Interval(g.Absolute, percent: false)).Append(Threshold(g))
                .Append("</td><td>").Append(Interval(g.Sequential, percent: false))
                .Append("</td><td>").Append(GuardrailVerdict(g)).Append("</td></tr>");
        }
        html.Append("</table>");
    }

    /// <summary>
    /// A guardrail's verdict, in words (the colour only repeats them): it follows the always-valid sequential interval,
    /// what the online gate decides on at every poll.
    /// </summary>
    public static string GuardrailVerdict(GuardrailResult g) =>
        g.SequentialHarm ? "<b style=\"color:#c92a2a\">harm (sequential)</b>"
        : g.Harm ? "<span style=\"color:#8a4b00\">harm at fixed horizon only</span>"
        : g.Sequential is null ? "not enough data"
        : "no harm";

    /// <summary>The p99 guardrail's difference is of shares of lists, not of its p99 values: which lists, in words.</summary>
    public static string Threshold(GuardrailResult g) => g.ThresholdMs is { } t ? $" (share of lists slower than {N(t)} ms)" : "";

    private static string Level(double alpha) => NoNegativeZero(Math.Round((1 - alpha) * 100, 2)).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Interval(Effect? e, bool percent) => e is null
        ? "n/a"
        : percent
            ? $"{Pct(e.Estimate)} [{Pct(e.CiLow)}, {Pct(e.CiHigh)}]"
            : $"{N(e.Estimate)} [{N(e.CiLow)}, {N(e.CiHigh)}]";

    /// <summary>Numbers in the report: 4 significant digits, invariant culture.</summary>
    public static string N(double? value) => value is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";

    public static string Pct(double? value) => value is { } v ? NoNegativeZero(Math.Round(v * 100, 2)).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "n/a";

    // -0.001% rounds to "-0.00%", which reads like a signed result; zero is zero.
    private static double NoNegativeZero(double v) => v == 0 ? 0 : v;

    private static string P(double? value) => value is { } v ? (v < 0.0001 ? "&lt;0.0001" : v.ToString("0.0000", CultureInfo.InvariantCulture)) : "n/a";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
