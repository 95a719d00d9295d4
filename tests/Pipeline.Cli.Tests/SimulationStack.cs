using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Cli.Tests;

/// <summary>
/// `pipeline up` as its own process on a small sample, serving the experiment "sim" (Serving:DefaultExperiment), and
/// `pipeline simulate` run against it as another process. 2,000 users and 1,000 items (20 categories): the shoppers'
/// favourite categories are a small part of the catalog, so personalized lists are worth far more than popular ones,
/// and most of a run's 1,200 requests come from users not bucketed yet (what a bandit's new weights apply to).
/// </summary>
public sealed partial class SimulationStack : IAsyncDisposable
{
    public const string Experiment = "sim";
    public const int Users = 2000;
    private const int Items = 1000;

    private readonly CliProcess _up;
    private readonly string _dataDir;

    private SimulationStack(CliProcess up, string dataDir, Uri baseUrl)
    {
        _up = up;
        _dataDir = dataDir;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Http { get; }

    public static async Task<SimulationStack> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        var dataDir = Directory.CreateTempSubdirectory("pipeline-simulate-").FullName;
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["Serving__DefaultExperiment"] = Experiment };
        var up = CliProcess.Start(env, ["up", "--data-dir", dataDir, "--port", "0", "--personalize-port", "-1",
            "--sample-users", Users.ToString(CultureInfo.InvariantCulture), "--sample-items", Items.ToString(CultureInfo.InvariantCulture),
            "--sample-interactions", "40000", .. extraArgs]);
        var baseUrl = new Uri((await up.WaitForAsync(RunningAt(), TimeSpan.FromMinutes(3))).Groups[1].Value);
        return new SimulationStack(up, dataDir, baseUrl);
    }

    public string Output => _up.Output;

    /// <summary>Creates and starts the served experiment from its JSON body (the key is set here).</summary>
    public async Task CreateAndStartAsync(Dictionary<string, object> body)
    {
        body["key"] = Experiment;
        var created = await Http.PostAsJsonAsync("/experiments", body);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.True((await Http.PostAsync($"/experiments/{Experiment}/start", null)).IsSuccessStatusCode);
    }

    public static Dictionary<string, object> TwoArms(string control, string controlRecipe, string treatment, string treatmentRecipe) => new()
    {
        ["primary_metric"] = "ctr",
        ["variants"] = new[]
        {
            new { key = control, weight = 0.5, recipe = controlRecipe },
            new { key = treatment, weight = 0.5, recipe = treatmentRecipe },
        },
    };

    public Task<JsonElement> ResultsAsync() => Http.GetFromJsonAsync<JsonElement>($"/experiments/{Experiment}/results");

    /// <summary>Runs `pipeline simulate` to the end (1,200 requests by default) with every user of the sample as a shopper; its output.</summary>
    public async Task<string> SimulateAsync(int seed, int rps = 200, int durationSeconds = 6)
    {
        await using var simulate = CliProcess.Start(null, "simulate", "--url", Http.BaseAddress!.ToString(),
            "--users", Users.ToString(CultureInfo.InvariantCulture), "--rps", rps.ToString(CultureInfo.InvariantCulture),
            "--duration", durationSeconds.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--sample-users", Users.ToString(CultureInfo.InvariantCulture), "--sample-items", Items.ToString(CultureInfo.InvariantCulture));
        Assert.True(await simulate.WaitForExitAsync(TimeSpan.FromMinutes(2)), simulate.Output);
        Assert.True(simulate.ExitCode == 0, simulate.Output);
        return simulate.Output;
    }

    /// <summary>A metric's single comparison (treatment against control) in the results.</summary>
    public static JsonElement Comparison(JsonElement results, string metric) =>
        results.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == metric)
            .GetProperty("comparisons").EnumerateArray().Single();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _up.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}
