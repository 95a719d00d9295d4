using Microsoft.Playwright;
using Pipeline.Console.Benchmarks;

namespace Pipeline.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConsolePagesTests(ConsoleStack stack)
{
    public static TheoryData<string, string, string> Pages()
    {
        var pages = new TheoryData<string, string, string>();
        foreach (var page in ConsolePage.All) pages.Add(page.Name, page.Path, page.Filled);
        return pages;
    }

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
