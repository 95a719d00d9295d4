using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed partial class ExperimentPageTests(ConsoleStack stack)
{
    [Fact]
    public async Task LiftChart_HasOneSeriesPerTreatment_WithTheResultsEndpointsLifts()
    {
        var results = await stack.GetJsonAsync("experiments/default/results");
        var control = results.GetProperty("control").GetString();
        var metric = results.GetProperty("primary_metric").GetString();
        var treatments = results.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("key").GetString()!).Where(k => k != control).ToArray();
        Assert.NotEmpty(treatments);

        var page = await stack.NewPageAsync([]);
        await page.GotoAsync(new Uri(stack.BaseUrl, "console/experiments/default").ToString());
        await page.WaitForSelectorAsync("#lift-chart .uplot");
        var series = await page.EvaluateAsync<JsonElement>(
            "() => { const u = document.getElementById('lift-chart').uplot; return u.series.map((s, i) => ({ label: s.label, values: u.data[i] })); }");

        foreach (var treatment in treatments)
        {
            var drawn = series.EnumerateArray().Where(s => s.GetProperty("label").GetString() == treatment).ToArray();
            Assert.Single(drawn);
            var expected = results.GetProperty("timeline").EnumerateArray()
                .Select(p => p.GetProperty("lifts").EnumerateArray().First(l => l.GetProperty("metric").GetString() == metric && l.GetProperty("variant").GetString() == treatment))
                .Select(l => l.GetProperty("lift").ValueKind == JsonValueKind.Null ? (double?)null : l.GetProperty("lift").GetDouble() * 100)
                .ToArray();
            var values = drawn[0].GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray();
            Assert.Equal(expected.Length, values.Length);
            for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i] ?? double.NaN, values[i] ?? double.NaN, 9);
        }
        // The verdict names the primary metric and every treatment.
        var verdict = await page.Locator("#verdict").TextContentAsync() ?? "";
        Assert.All(treatments, t => Assert.Contains(t, verdict));
        Assert.Contains(metric!, verdict);
        await page.CloseAsync();
    }

    [Fact]
    public async Task GuardrailsTable_ShowsTheResultsEndpointsSequentialIntervals_AndAVerdictThatFollowsThem()
    {
        var results = await stack.GetJsonAsync("experiments/default/results");
        var guardrails = results.GetProperty("guardrails").EnumerateArray().ToArray();
        Assert.NotEmpty(guardrails);

        var page = await stack.NewPageAsync([]);
        await page.GotoAsync(new Uri(stack.BaseUrl, "console/experiments/default").ToString());
        await page.WaitForSelectorAsync("#guardrails tbody td.sequential");
        var headers = await page.EvaluateAsync<string[][]>(
            "() => [...document.querySelectorAll('#guardrails thead th')].map(th => [th.textContent.trim(), th.getAttribute('scope')])");
        Assert.All(headers, h => Assert.Equal("col", h[1]));
        Assert.Equal(["Metric", "Treatment", "Control", "Treatment value", "Difference", "Fixed-horizon interval", "Sequential interval (always valid)", "Verdict"],
            headers.Select(h => h[0]).ToArray());
        var rows = await page.EvaluateAsync<string[][]>(
            "() => [...document.querySelectorAll('#guardrails tbody tr')].map(tr => [...tr.cells].map(td => td.textContent.trim()))");
        Assert.Equal(guardrails.Length, rows.Length);

        foreach (var g in guardrails)
        {
            var metric = g.GetProperty("metric").GetString();
            var variant = g.GetProperty("variant").GetString();
            var cells = Assert.Single(rows, r => r[0] == metric && r[1] == variant);
            Assert.Equal(8, cells.Length);
            var sequential = g.GetProperty("sequential");
            Assert.Equal(JsonValueKind.Object, sequential.ValueKind);
            // The new column's numbers are the API's sequential interval, to the 4 decimals shown.
            var (low, high) = Interval(cells[6]);
            Assert.InRange(Math.Abs(low - sequential.GetProperty("ci_low").GetDouble()), 0, 5e-5 + 1e-12);
            Assert.InRange(Math.Abs(high - sequential.GetProperty("ci_high").GetDouble()), 0, 5e-5 + 1e-12);
            var absolute = g.GetProperty("absolute");
            var (fixedLow, fixedHigh) = Interval(cells[5]);
            Assert.InRange(Math.Abs(fixedLow - absolute.GetProperty("ci_low").GetDouble()), 0, 5e-5 + 1e-12);
            Assert.InRange(Math.Abs(fixedHigh - absolute.GetProperty("ci_high").GetDouble()), 0, 5e-5 + 1e-12);
            // The verdict, in words, follows the sequential interval (what the online gate rolls back on).
            var expected = g.GetProperty("sequential_harm").GetBoolean() ? "harm (sequential)"
                : g.GetProperty("harm").GetBoolean() ? "harm at fixed horizon only"
                : "no harm";
            Assert.Equal(expected, cells[7]);
            // The p99 guardrail's values are p99s and its difference one of shares of lists: the cell names the lists.
            if (metric == "latency_p99_ms")
            {
                Assert.EndsWith($"(share of lists slower than {Math.Round(g.GetProperty("threshold_ms").GetDouble(), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)} ms)", cells[4]);
            }
        }
        Assert.Contains(guardrails, g => g.GetProperty("metric").GetString() == "latency_p99_ms");
        await page.CloseAsync();
    }

    private static (double Low, double High) Interval(string text)
    {
        var match = IntervalText().Match(text);
        Assert.True(match.Success, text);
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\[(\S+), (\S+)\]$")]
    private static partial Regex IntervalText();
}
