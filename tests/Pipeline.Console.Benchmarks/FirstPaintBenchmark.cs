using System.Globalization;
using Microsoft.Playwright;

namespace Pipeline.Console.Benchmarks;

/// <summary>
/// Each console page's first contentful paint, in rounds, two ways: cold (a new browser context: a new tab with an
/// empty cache and its own renderer process, an operator's first visit) and warm (one tab going from page to page, an
/// operator clicking through the console); beside the reference (plain text from the same server, Chromium's floor)
/// measured the same ways in the same rounds, and the server's render time from the page's Server-Timing header.
/// </summary>
public static class FirstPaintBenchmark
{
    public static async Task<int> RunAsync(FirstPaintOptions options, TextWriter output)
    {
        await using var stack = options.Url is null ? await LocalStackUnderTest.StartAsync(output) : null;
        var baseUrl = options.Url ?? stack!.BaseUrl;
        output.WriteLine($"load average before: {LoadAverage()}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var contextOptions = new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ExtraHTTPHeaders = options.ApiKey is null ? null : new Dictionary<string, string> { ["x-api-key"] = options.ApiKey },
        };
        var pages = new[] { ConsolePage.Reference }.Concat(ConsolePage.All).ToList();
        var samples = pages.ToDictionary(p => p, _ => new Samples());
        // Scripts off: the pages' own scripts are not served (Chromium's JavaScript switch would also stop the probe's).
        async Task<IBrowserContext> NewContextAsync()
        {
            var context = await browser.NewContextAsync(contextOptions);
            if (!options.Scripts) await context.RouteAsync("**/console/assets/*.js", route => route.AbortAsync());
            return context;
        }
        var warm = await (await NewContextAsync()).NewPageAsync();
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var page in pages)
            {
                var url = new Uri(baseUrl, page.Path).ToString();
                var context = await NewContextAsync();
                var cold = await context.NewPageAsync();
                await OpenAsync(cold, url);
                samples[page].Cold.Add(await FirstPaint.ContentfulAsync(cold));
                samples[page].Render.Add(await FirstPaint.ServerRenderAsync(cold));
                await context.CloseAsync();

                await OpenAsync(warm, url);
                samples[page].Warm.Add(await FirstPaint.ContentfulAsync(warm));
            }
        }
        output.WriteLine($"load average after: {LoadAverage()}");
        output.WriteLine($"Chromium {browser.Version}, {options.Rounds} rounds, {baseUrl}console, scripts {(options.Scripts ? "on" : "off")}; first contentful paint in ms, median (90th percentile):");
        output.WriteLine();
        output.WriteLine("| page | cold: new tab | warm: same tab | server render |");
        output.WriteLine("| --- | --- | --- | --- |");
        foreach (var page in pages)
        {
            var s = samples[page];
            var render = page == ConsolePage.Reference ? "–" : Summary(s.Render);
            output.WriteLine($"| {page.Name} | {Summary(s.Cold)} | {Summary(s.Warm)} | {render} |");
        }
        var unpainted = samples.Values.Sum(s => s.Cold.Count(x => x < 0) + s.Warm.Count(x => x < 0));
        if (unpainted > 0) output.WriteLine($"{unpainted} navigations painted nothing within 5 s (left out of the figures).");
        return 0;
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        var response = await page.GotoAsync(url);
        if (response is not { Status: 200 })
            throw new InvalidOperationException($"GET {url} answered {response?.Status.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
    }

    private static string Summary(List<double> values)
    {
        var painted = values.Where(x => x >= 0).Order().ToList();
        if (painted.Count == 0) return "none";
        double Rank(double q) => painted[Math.Clamp((int)Math.Ceiling(q * painted.Count) - 1, 0, painted.Count - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{Rank(0.5):F0} ({Rank(0.9):F0})");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed class Samples
    {
        public List<double> Cold { get; } = [];
        public List<double> Warm { get; } = [];
        public List<double> Render { get; } = [];
    }
}
