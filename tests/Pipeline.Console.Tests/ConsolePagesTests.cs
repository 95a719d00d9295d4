using Microsoft.Playwright;

namespace Pipeline.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConsolePagesTests(ConsoleStack stack)
{
    /// <summary>Each page and the element its script fills once the API has answered.</summary>
    public static TheoryData<string, string, string> Pages => new()
    {
        { "experiments", "console/experiments", "#experiments tbody a" },
        { "experiment", "console/experiments/default", "#lift-chart .uplot" },
        { "experiment-form", "console/experiments/new", "#variants .variant-row" },
        { "models", "console/models", "#promotions tbody a" },
        { "workflows", "console/workflows", "#executions tbody a" },
        { "live", "console/live", "#rate-chart .uplot" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_RendersTheApisData_WithNoConsoleErrors(string name, string path, string filled)
    {
        var errors = new List<string>();
        var page = await stack.NewPageAsync(errors);
        // Readiness, not performance: the models page's promotion history needs the stack's first training run to have
        // finished (minutes here when this test runs first), and the page reads it once, so it is loaded again until then.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var response = await page.GotoAsync(new Uri(stack.BaseUrl, path).ToString());
            Assert.Equal(200, response!.Status);
            try
            {
                await page.WaitForSelectorAsync(filled, new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
        await page.WaitForSelectorAsync("main:not(:has(.loading))");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleStack.ScreenshotFolder, name + ".png"), FullPage = true });
        await RecordFirstPaintAsync(name, page);
        // Labelled: the page has its title, one h1 and the section navigation marks where it is.
        Assert.EndsWith("Pipeline console", await page.TitleAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Equal(1, await page.Locator("nav a[aria-current=page]").CountAsync());
        Assert.Empty(await page.Locator("input:not([type=checkbox]):not([aria-label]), select, textarea").EvaluateAllAsync<string[]>(
            "els => els.filter(e => !(e.labels && e.labels.length)).map(e => e.outerHTML)"));
        Assert.Empty(errors);
        // A failed API call is reported in the status line, not the console.
        Assert.NotEqual("error", await page.Locator("#status").GetAttributeAsync("data-kind"));
        await page.CloseAsync();
    }

    /// <summary>
    /// First contentful paint, written to console-screenshots/first-paint.tsv beside a reference measured in the same
    /// run: the plain-text licence file from the same server (a measurement for the README, not an assertion), and the
    /// server's render time from the page's Server-Timing header.
    /// </summary>
    private async Task RecordFirstPaintAsync(string name, IPage page)
    {
        // The paint entry can be recorded after the load event: wait for it (buffered), -1 if none comes within 5 s.
        const string Script = """
            new Promise(done => {
              const paint = list => list.find(e => e.name === 'first-contentful-paint');
              const now = paint(performance.getEntriesByType('paint'));
              if (now) return done(now.startTime);
              new PerformanceObserver(l => { const e = paint(l.getEntries()); if (e) done(e.startTime); }).observe({ type: 'paint', buffered: true });
              setTimeout(() => done(-1), 5000);
            })
            """;
        var reference = await stack.NewPageAsync([]);
        await reference.GotoAsync(new Uri(stack.BaseUrl, "console/assets/THIRD-PARTY.txt").ToString());
        // The server's own share: the page route's Server-Timing "render" (handler to first byte), -1 if absent.
        const string Render = "(performance.getEntriesByType('navigation')[0]?.serverTiming ?? []).find(t => t.name === 'render')?.duration ?? -1";
        var line = $"{name}\t{await page.EvaluateAsync<double>(Script):F0}\t{await reference.EvaluateAsync<double>(Script):F0}\t{await page.EvaluateAsync<double>(Render):F1}\n";
        await reference.CloseAsync();
        var file = Path.Combine(ConsoleStack.ScreenshotFolder, "first-paint.tsv");
        if (!File.Exists(file)) await File.AppendAllTextAsync(file, "page\tfirst_contentful_paint_ms\treference_ms\tserver_render_ms\n");
        await File.AppendAllTextAsync(file, line);
    }

    [Fact]
    public async Task Console_RedirectsToExperiments_AndTheKeyboardReachesTheNavigationFirst()
    {
        var page = await stack.NewPageAsync([]);
        await page.GotoAsync(new Uri(stack.BaseUrl, "console").ToString());
        Assert.EndsWith("/console/experiments", page.Url);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Experiments", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.CloseAsync();
    }
}
