using System.Text.Json;

namespace Pipeline.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class WorkflowExecutionPageTests(ConsoleStack stack)
{
    [Fact]
    public async Task FailedTrainingRun_ShowsTheStateItFailedIn_WithErrorAndCause()
    {
        var execution = await stack.WaitUntilFinishedAsync(stack.FailingExecution);
        Assert.Equal("FAILED", execution.GetProperty("status").GetString());
        // The state the execution failed in, as the failure alert's message names it.
        var workflows = await stack.GetJsonAsync("workflows");
        var message = workflows.GetProperty("alerts").EnumerateArray()
            .Single(a => a.GetProperty("execution").GetString() == execution.GetProperty("executionArn").GetString())
            .GetProperty("message");
        if (message.ValueKind == JsonValueKind.String) message = JsonDocument.Parse(message.GetString()!).RootElement;
        var failedState = message.GetProperty("failedState").GetString();

        var errors = new List<string>();
        var page = await stack.NewPageAsync(errors);
        await page.GotoAsync(new Uri(stack.BaseUrl, $"console/workflows/{stack.FailingExecution}").ToString());
        var failed = page.Locator("#path li.failed");
        await failed.WaitForAsync();
        Assert.Equal(1, await failed.CountAsync());
        Assert.Equal(failedState, await failed.GetAttributeAsync("data-state"));
        // The state graph: the definition the run executed, the path outlined, the failed state marked with its error and cause.
        var failedNode = page.Locator("#graph svg g.state.failed");
        await failedNode.WaitForAsync();
        Assert.Equal(1, await failedNode.CountAsync());
        Assert.Equal(failedState, await failedNode.GetAttributeAsync("data-state"));
        var failedTitle = await failedNode.Locator("title").TextContentAsync();
        Assert.Contains(execution.GetProperty("error").GetString()!, failedTitle);
        Assert.Contains(execution.GetProperty("cause").GetString()!, failedTitle);
        var entered = await page.Locator("#path li").EvaluateAllAsync<string[]>("els => [...new Set(els.map(e => e.dataset.state))]");
        var outlined = await page.Locator("#graph svg g.state.visited").EvaluateAllAsync<string[]>("els => [...new Set(els.map(e => e.dataset.state))]");
        Assert.Equal(entered.Order(StringComparer.Ordinal), outlined.Order(StringComparer.Ordinal));
        Assert.Contains(failedState!, await page.Locator("#graph-failure").TextContentAsync());
        await failedNode.ScrollIntoViewIfNeededAsync();
        await page.Locator("#graph").ScreenshotAsync(new() { Path = Path.Combine(ConsoleStack.ScreenshotFolder, "workflow-execution-graph.png") });
        // A run without online_gate has no gate section.
        Assert.False(await page.Locator("#online-gate").IsVisibleAsync());
        var summary = await page.Locator("#summary").TextContentAsync();
        Assert.Contains("FAILED", summary);
        Assert.Contains(execution.GetProperty("error").GetString()!, summary);
        Assert.Contains(execution.GetProperty("cause").GetString()!, summary);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleStack.ScreenshotFolder, "workflow-execution-failed.png"), FullPage = true });
        // The summary's link leads to the failed state in the path.
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = failedState, Exact = true }).ClickAsync();
        Assert.EndsWith("#failed-state", page.Url);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleStack.ScreenshotFolder, "workflow-execution-failed-state.png") });

        // The list says FAILED too, with the error.
        await page.GotoAsync(new Uri(stack.BaseUrl, "console/workflows").ToString());
        var row = page.Locator("#executions tbody tr", new() { HasText = stack.FailingExecution });
        await row.WaitForAsync();
        Assert.Contains("FAILED", await row.TextContentAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }
}
