using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pipeline.Console.Benchmarks;

namespace Pipeline.Console.Tests;

/// <summary>
/// One `pipeline up` (a separate process, small sample) and one headless Debian Chromium for every console test:
/// some traffic so the default experiment has results, and a training run that must fail (the README's small-data
/// input) started at once, since it waits for the stack's first import.
/// </summary>
public sealed partial class ConsoleStack : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("pipeline-console-").FullName;
    private CliProcess _cli = null!;
    private IPlaywright _playwright = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The training execution started with too little data: it ends FAILED.</summary>
    public string FailingExecution { get; private set; } = "";

    /// <summary>Where every page's screenshot goes (the test artifacts).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public async Task InitializeAsync()
    {
        _cli = CliProcess.Start(null, "up", "--data-dir", _dataDir, "--port", "0", "--personalize-port", "-1",
            "--sample-users", "300", "--sample-items", "200", "--sample-interactions", "6000");
        var match = await _cli.WaitForAsync(ConsoleLine(), TimeSpan.FromMinutes(3));
        BaseUrl = new Uri(match.Groups[1].Value + "/");
        Api = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

        await SendTrafficAsync();
        FailingExecution = await StartSmallDataTrainingAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        // One page rendered before any is measured: the first render of a process includes compiling the Razor components.
        (await Api.GetAsync("console/experiments/default")).EnsureSuccessStatusCode();
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A new page that records every console error and uncaught exception into <paramref name="errors"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> errors)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add($"{page.Url}: {message.Text}"); };
        page.PageError += (_, error) => { lock (errors) errors.Add($"{page.Url}: {error}"); };
        return page;
    }

    /// <summary>For failure messages: how the API answers <paramref name="path"/> now, and how long it took.</summary>
    public async Task<string> ProbeAsync(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var response = await Api.GetAsync(path);
            return $"GET {path}: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms";
        }
        catch (Exception e)
        {
            return $"GET {path}: {e.GetType().Name} after {clock.ElapsedMilliseconds} ms";
        }
    }

    public string UpOutputTail(int lines) => string.Join('\n', _cli.Output.Split('\n').TakeLast(lines));

    public async Task<JsonElement> GetJsonAsync(string path) => await Api.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Polls <c>GET /workflows/executions/{name}</c> until the execution has ended; the last answer.</summary>
    public async Task<JsonElement> WaitUntilFinishedAsync(string name, TimeSpan? timeout = null)
    {
        // Readiness, not performance: a run started at startup waits for the stack's first import (about a minute here).
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(4));
        while (true)
        {
            var response = await Api.GetAsync($"workflows/executions/{name}");
            if (response.IsSuccessStatusCode)
            {
                var execution = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                if (execution.GetProperty("status").GetString() != "RUNNING") return execution;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"execution {name} did not finish");
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Recommendations for 240 users (exposures in every variant), then clicks and purchases on them: the last
    /// variant's users buy twice as often, so its lift is not zero.
    /// </summary>
    private async Task SendTrafficAsync()
    {
        for (var user = 1; user <= 240; user++)
        {
            var id = $"user_{user:D5}";
            var served = await PostAsync("recommendations", new JsonObject { ["user_id"] = id, ["num_results"] = 5 });
            var item = served["items"]![0]!["item_id"]!.GetValue<string>();
            var recommendation = served["recommendation_id"]!.GetValue<string>();
            var buysOften = served["variant"]!.GetValue<string>() == "popularity";
            if (user % 2 == 0) await PostAsync("events", Event(id, "click", item, recommendation));
            if (user % (buysOften ? 3 : 6) == 0) await PostAsync("events", Event(id, "purchase", item, recommendation, 20));
        }
    }

    private static JsonObject Event(string user, string type, string item, string recommendation, double? value = null)
    {
        var body = new JsonObject { ["user_id"] = user, ["event_type"] = type, ["item_id"] = item, ["session_id"] = "s-" + user, ["recommendation_id"] = recommendation };
        if (value is { } v) body["event_value"] = v;
        return body;
    }

    /// <summary>The README's failing run: the nightly input with an import of 500 interactions, too few to train on.</summary>
    private async Task<string> StartSmallDataTrainingAsync()
    {
        var small = Path.Combine(_dataDir, "small");
        Directory.CreateDirectory(small);
        await File.WriteAllLinesAsync(Path.Combine(small, "interactions.csv"), File.ReadLines(Path.Combine(_dataDir, "sample", "interactions.csv")).Take(501));
        var workflows = await Api.GetFromJsonAsync<JsonObject>("workflows");
        var input = workflows!["schedule"]!["input"]!.DeepClone().AsObject();
        input["import"] = new JsonObject { ["interactions"] = "s3://small/interactions.csv" };
        var started = await PostAsync("workflows/training/executions", new JsonObject { ["input"] = input });
        return started["name"]!.GetValue<string>();
    }

    public async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        using var response = await Api.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        await _cli.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [GeneratedRegex(@"^Console: (http://127\.0\.0\.1:\d+)/console$")]
    private static partial Regex ConsoleLine();
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "console";
}
