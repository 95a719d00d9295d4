using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Api.Http;
using Pipeline.Cli.Reports;
using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using static Pipeline.Cli.Tests.Commands.InProcessCli;

namespace Pipeline.Cli.Tests.Commands;

public sealed partial class ExperimentReportCommandTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-report-").FullName;

    public void Dispose()
    {
        SqliteDatabase.ReleaseAll();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A local stack database with a two-week experiment recorded through the production recorder.</summary>
    private async Task<SqliteDatabase> SeedAsync()
    {
        var db = new SqliteDatabase(Path.Combine(_folder, "pipeline.db"));
        var experiments = new SqliteExperimentStore(db);
        var exposures = new SqliteExposureStore(db);
        var events = new SqliteEventStore(db);
        var recorder = new ExperimentMetricsRecorder(new SqliteExperimentMetricsStore(db), exposures, events);
        var experiment = new Experiment("recs", ExperimentStatus.Running,
            [new Variant("control", 0.5, "aws-popularity-count"), new Variant("personalized", 0.5, "aws-user-personalization")],
            Coverage: 1, Seed: "", CreatedAt: Start) { StartedAt = Start };
        await experiments.UpsertAsync(experiment);
        var random = new Random(3);
        for (var i = 0; i < 600; i++)
        {
            var user = $"user_{i:D5}";
            var at = Start.AddDays(i % 14).AddMinutes(i);
            var variant = VariantAssigner.Assign(experiment, user)!.Key;
            var habit = random.Next(4); // pre-exposure activity, which also raises the user's chance to act
            for (var h = 0; h < habit; h++)
            {
                await events.AppendAsync([new InteractionEvent($"h{i}-{h}", user, "i2", EventTypes.View, null, "s", null, at.AddDays(-1 - h))]);
            }
            var exposure = new Exposure($"r{i}", "recs", variant, user, "r", i % 25 == 0 ? "fallback:model-error" : "primary", ["i1"], at);
            await exposures.AppendAsync(exposure);
            await recorder.RecordExposureAsync(exposure, experiment.Phase, TimeSpan.FromMilliseconds(5 + random.Next(10)));
            var lift = (variant == "personalized" ? 1.3 : 1.0) * (0.5 + 0.4 * habit);
            if (random.NextDouble() < 0.3 * lift)
            {
                var click = new InteractionEvent($"c{i}", user, "i1", EventTypes.Click, null, "s", exposure.RecommendationId, at.AddMinutes(1));
                await events.AppendAsync([click]);
                await recorder.RecordEventAsync(click);
            }
            if (random.NextDouble() < 0.1 * lift)
            {
                var purchase = new InteractionEvent($"p{i}", user, "i1", EventTypes.Purchase, 20 + random.Next(30), "s", exposure.RecommendationId, at.AddMinutes(2));
                await events.AppendAsync([purchase]);
                await recorder.RecordEventAsync(purchase);
            }
        }
        return db;
    }

    [Fact]
    public async Task Report_WritesASelfContainedHtmlFileWithTheNumbersOfTheResultsEndpoint()
    {
        var db = await SeedAsync();
        var results = (await new ExperimentResultsService(new SqliteExperimentStore(db), new SqliteExperimentMetricsStore(db)).GetAsync("recs"))!;
        var file = Path.Combine(_folder, "report.html");

        var (exitCode, output, error) = await Run("experiment", "report", "recs", "--out", file, "--data-dir", _folder);

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains("report.html", output);
        var html = await File.ReadAllTextAsync(file);
        // The embedded document is the endpoint's JSON, byte for byte.
        var embedded = EmbeddedJson().Match(html).Groups[1].Value.Replace("<\\/", "</", StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(results, ApiJsonContext.Default.ExperimentResults), embedded);
        // And the visible tables show the same numbers.
        foreach (var v in results.Variants)
        {
            Assert.Contains($"<td>{v.Key}</td><td>{ExperimentReportHtml.N(v.Weight)}</td><td>{v.Users}</td><td>{v.Exposures}</td>", html);
            Assert.Contains($"<td>{ExperimentReportHtml.N(v.ConversionRate)}</td>", html);
        }
        var conversion = results.Metrics.Single(m => m.Metric == ExperimentMetrics.ConversionRate).Comparisons[0];
        Assert.Contains(ExperimentReportHtml.Pct(conversion.Relative!.Estimate), html);
        Assert.Contains(ExperimentReportHtml.Pct(conversion.SequentialRelative!.CiLow), html);
        Assert.Contains(results.Srm.Mismatch ? "Sample ratio mismatch" : "No sample ratio mismatch", html);
        // Each guardrail row shows the fixed-horizon and the always-valid sequential interval, and a verdict that follows the sequential one.
        var guardrailRows = GuardrailRow().Matches(GuardrailTable().Match(html).Groups[1].Value)
            .Select(m => m.Groups[1].Value.Split("</td><td>")).ToArray();
        Assert.Equal(results.Guardrails.Count, guardrailRows.Length);
        Assert.NotEmpty(results.Guardrails);
        foreach (var g in results.Guardrails)
        {
            var cells = Assert.Single(guardrailRows, c => c[0] == g.Metric && c[1] == g.Variant);
            Assert.Equal(7, cells.Length);
            // The p99 guardrail's values are p99s, its difference one of shares of lists: the cell names the lists.
            Assert.Equal(Shown(g.Absolute!) + (g.Metric == GuardrailMetrics.LatencyP99 ? $" (share of lists slower than {ExperimentReportHtml.N(g.ThresholdMs)} ms)" : ""), cells[4]);
            var sequential = Assert.IsType<Effect>(g.Sequential);
            Assert.Equal(Shown(sequential), cells[5]);
            var numbers = IntervalNumbers().Match(cells[5]);
            Assert.True(numbers.Success, cells[5]);
            double[] api = [sequential.Estimate, sequential.CiLow, sequential.CiHigh];
            for (var i = 0; i < 3; i++)
            {
                // 4 significant digits: within half a unit of the 4th digit of the API's value.
                var shown = double.Parse(numbers.Groups[i + 1].Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(Math.Abs(shown - api[i]), 0, 5e-4 * Math.Abs(api[i]) + 1e-12);
            }
            Assert.True(sequential.CiLow < sequential.Estimate && sequential.Estimate < sequential.CiHigh);
            Assert.True(sequential.CiHigh - sequential.CiLow > g.Absolute!.CiHigh - g.Absolute.CiLow, "the always-valid interval is the wider one");
            Assert.Equal(g.SequentialHarm ? "harm (sequential)" : g.Harm ? "harm at fixed horizon only" : "no harm", TagText().Replace(cells[6], ""));
        }
        Assert.Equal(14, results.Timeline.Count);
        Assert.True(Regex.Count(html, "<svg ") >= 1 + 4, "an exposures chart and a lift chart per metric");
        // Self-contained: no external scripts, styles, fonts or images.
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("<script>", html);
        if (Environment.GetEnvironmentVariable("PIPELINE_REPORT_SAMPLE") is { Length: > 0 } sample)
        {
            File.Copy(file, sample, overwrite: true); // lets a developer open a real report (e.g. a headless screenshot)
        }
    }

    [Fact]
    public async Task Report_ForAnUnknownExperiment_IsAOneLineError()
    {
        await SeedAsync();

        var (exitCode, _, error) = await Run("experiment", "report", "nope", "--out", Path.Combine(_folder, "x.html"), "--data-dir", _folder);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: no experiment 'nope'", error);
        Assert.False(File.Exists(Path.Combine(_folder, "x.html")));
    }

    [Fact]
    public async Task Report_WithoutADatabase_SaysWhereItLooked()
    {
        var (exitCode, _, error) = await Run("experiment", "report", "recs", "--out", Path.Combine(_folder, "x.html"), "--data-dir", Path.Combine(_folder, "missing"));

        Assert.Equal(2, exitCode);
        Assert.Contains("no local stack database", error);
    }

    [Theory]
    [InlineData(new[] { "--baseline-rate", "0.1", "--mde", "0.05" }, "users per variant: 57760")]
    [InlineData(new[] { "--mean", "10", "--stddev", "20", "--mde", "0.1" }, "users per variant: 6280")]
    public async Task Power_PrintsTheUsersNeededPerVariant(string[] args, string expected)
    {
        var (exitCode, output, error) = await Run(["experiment", "power", .. args]);

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains(expected, output);
    }

    [Fact]
    public async Task Power_WithoutABaseline_IsAUsageError()
    {
        var (exitCode, _, error) = await Run("experiment", "power", "--mde", "0.05");

        Assert.Equal(2, exitCode);
        Assert.Contains("--baseline-rate", error);
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"results\">(.*)</script>", RegexOptions.Singleline)]
    private static partial Regex EmbeddedJson();

    private static string Shown(Effect e) => $"{ExperimentReportHtml.N(e.Estimate)} [{ExperimentReportHtml.N(e.CiLow)}, {ExperimentReportHtml.N(e.CiHigh)}]";

    [GeneratedRegex("<table id=\"guardrails\">(.*?)</table>", RegexOptions.Singleline)]
    private static partial Regex GuardrailTable();

    [GeneratedRegex("<tr><td>(.*?)</td></tr>")]
    private static partial Regex GuardrailRow();

    [GeneratedRegex(@"^(\S+) \[(\S+), (\S+)\]$")]
    private static partial Regex IntervalNumbers();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagText();
}
