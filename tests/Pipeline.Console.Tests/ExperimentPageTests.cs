using System.Text.Json;

namespace Pipeline.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ExperimentPageTests(ConsoleStack stack)
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
}
