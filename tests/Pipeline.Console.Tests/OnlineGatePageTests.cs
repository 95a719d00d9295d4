using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Pipeline.Console.Tests;

/// <summary>
/// A real gated training run on the console's stack: the execution page shows the gate's latest decision while the run
/// waits for live evidence, then its outcome, with the numbers GET /workflows/executions/{name} returns.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class OnlineGatePageTests(ConsoleStack stack, Xunit.Abstractions.ITestOutputHelper log)
{
    private const string Experiment = "gated";
    private const string Recipe = "aws-popularity-count";
    private const int PollSeconds = 100;

    // 0.008 day = 691.2 s of workflow time: rolled back at the seventh 100 s poll (about 1 s each with the stack's ×0.01
    // waits), long enough for the pages to show a waiting decision and the challenger in the experiment first.
    private const double MaxDays = 0.008;
    private const int Polls = 7;

    [Fact]
    public async Task GatedTrainingRun_WithoutTraffic_ShowsTheWaitingDecision_ThenTheRollBack()
    {
        // The machine runs one training execution at a time (a second would end SKIPPED): the stack's failing run first.
        await stack.WaitUntilFinishedAsync(stack.FailingExecution);
        await CreateExperimentAsync();
        var started = await stack.PostAsync("workflows/training/executions", new JsonObject { ["input"] = Input() });
        var name = started["name"]!.GetValue<string>();

        var errors = new List<string>();
        var page = await stack.NewPageAsync(errors);
        await page.GotoAsync(new Uri(stack.BaseUrl, $"console/workflows/{name}").ToString());
        var gate = page.Locator("#online-gate");
        await Assertions.Expect(gate.GetByRole(AriaRole.Heading, new() { Name = "Online gate" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var experimentLink = gate.Locator("[data-field=experiment] a");
        await Assertions.Expect(experimentLink).ToHaveTextAsync(Experiment, new() { Timeout = 30_000 });
        Assert.EndsWith($"console/experiments/{Experiment}", await experimentLink.GetAttributeAsync("href"));
        await Assertions.Expect(gate.Locator("[data-field=challenger]")).ToContainTextAsync($"{Recipe} at 30.0% of the traffic", new() { Timeout = 30_000 });

        // While it runs: the latest decision, read from the live history (training first: readiness, not performance).
        var decision = gate.Locator("#gate-decision");
        await Assertions.Expect(decision).ToHaveTextAsync(new Regex("^Waiting: "), new() { Timeout = 180_000 });
        var waiting = await ReadGateAsync(page);
        await gate.ScreenshotAsync(new() { Path = Path.Combine(ConsoleStack.ScreenshotFolder, "workflow-execution-online-gate-waiting.png") });
        // Meanwhile the experiment's page says a gate is trying a challenger there.
        var experimentPage = await stack.NewPageAsync(errors);
        await experimentPage.GotoAsync(new Uri(stack.BaseUrl, $"console/experiments/{Experiment}").ToString());
        var note = experimentPage.Locator("#challenger-note");
        await Assertions.Expect(note).ToContainTextAsync($"A training run's online gate is trying a challenger here: variant challenger ({Recipe}, 30.0% of the traffic)", new() { Timeout = 30_000 });
        await Assertions.Expect(note.GetByRole(AriaRole.Link, new() { Name = "Workflows page" })).ToHaveAttributeAsync("href", new Regex("console/workflows$"));
        await experimentPage.CloseAsync();

        // Then the outcome: rolled back at max_days, no one having seen the challenger.
        await Assertions.Expect(gate.Locator("[data-field=outcome]")).ToHaveTextAsync("ROLLED_BACK", new() { Timeout = 120_000 });
        var ended = await ReadGateAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleStack.ScreenshotFolder, "workflow-execution-online-gate.png"), FullPage = true });

        // What the page said, for the docs' examples (reported, not asserted here).
        log.WriteLine($"while waiting: {waiting.Sentence}\nonce ended: {ended.Sentence}");
        var execution = await stack.WaitUntilFinishedAsync(name, TimeSpan.FromSeconds(30));
        Assert.Equal("SUCCEEDED", execution.GetProperty("status").GetString());
        var result = JsonDocument.Parse(execution.GetProperty("output").GetString()!).RootElement.GetProperty("online_gate_result");
        Assert.Equal("ROLLED_BACK", result.GetProperty("status").GetString());
        var final = result.GetProperty("decision");
        var polls = result.GetProperty("polls").GetInt32();
        Assert.Equal(Polls, polls);
        Assert.Equal($"Rolled back: {final.GetProperty("reason").GetString()}. The challenger {Recipe} left experiment {Experiment}, whose control serves as before.", ended.Sentence);
        AssertShows(final, polls, ended);

        // The waiting decision the page showed is the one the OnlineGate state answered at that poll.
        var shownPoll = int.Parse(PollOf().Match(waiting.Sentence).Groups[1].Value, CultureInfo.InvariantCulture);
        var decisions = Decisions(execution);
        Assert.Equal(polls, decisions.Count);
        Assert.InRange(shownPoll, 1, polls - 1);
        var atPoll = decisions[shownPoll - 1];
        Assert.Equal("wait", atPoll.GetProperty("decision").GetString());
        Assert.StartsWith($"Waiting: {atPoll.GetProperty("reason").GetString()} (after poll {shownPoll}, ", waiting.Sentence, StringComparison.Ordinal);
        Assert.Equal($"WAITING (poll {shownPoll})", waiting.Fields["outcome"]);
        AssertShows(atPoll, shownPoll, waiting);

        // Once the challenger has left, the experiment's page has no note.
        await page.GotoAsync(new Uri(stack.BaseUrl, $"console/experiments/{Experiment}").ToString());
        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("No exposures yet: nothing to analyse.", new() { Timeout = 30_000 });
        Assert.False(await page.Locator("#challenger-note").IsVisibleAsync());

        // The list shows the outcome from the output it already has.
        await page.GotoAsync(new Uri(stack.BaseUrl, "console/workflows").ToString());
        await Assertions.Expect(page.Locator("#executions tbody tr", new() { HasText = name })).ToContainTextAsync("SUCCEEDED online gate ROLLED_BACK", new() { Timeout = 30_000 });
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>The fields show the decision's numbers: users per arm, lift and interval (none without users), polls, workflow days.</summary>
    private static void AssertShows(JsonElement decision, int polls, Shown shown)
    {
        Assert.Equal(decision.GetProperty("control_users").GetInt64().ToString(CultureInfo.InvariantCulture), shown.Fields["control-users"]);
        Assert.Equal(decision.GetProperty("challenger_users").GetInt64().ToString(CultureInfo.InvariantCulture), shown.Fields["challenger-users"]);
        // No traffic: no lift to estimate, and the page says so rather than 0.
        Assert.Equal(JsonValueKind.Null, decision.GetProperty("lift").ValueKind);
        Assert.Equal("–", shown.Fields["lift"]);
        Assert.Equal("–", shown.Fields["sequential-interval"]);
        Assert.Equal(decision.GetProperty("metric").GetString(), shown.Fields["metric"]);
        Assert.Equal(polls.ToString(CultureInfo.InvariantCulture), shown.Fields["polls"]);
        // Workflow time is polls × poll_seconds, shown to 4 decimals of a day.
        var elapsed = decision.GetProperty("elapsed_days").GetDouble();
        Assert.Equal(polls * PollSeconds / 86400.0, elapsed, 12);
        var days = double.Parse(DaysOf().Match(shown.Fields["elapsed-workflow-time"]).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(Math.Abs(days - elapsed), 0, 5e-5 + 1e-12);
    }

    private static List<JsonElement> Decisions(JsonElement execution) =>
        [.. execution.GetProperty("history").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "TaskStateExited"
                && e.GetProperty("stateExitedEventDetails").GetProperty("name").GetString() == "OnlineGate")
            .Select(e => JsonDocument.Parse(e.GetProperty("stateExitedEventDetails").GetProperty("output").GetString()!).RootElement.GetProperty("onlineGateDecision"))];

    private sealed record Shown(string Sentence, Dictionary<string, string> Fields);

    /// <summary>The sentence and every field in one evaluation, so a re-render between two reads cannot mix two polls.</summary>
    private static async Task<Shown> ReadGateAsync(IPage page)
    {
        var read = await page.EvaluateAsync<JsonElement>(
            "() => ({ sentence: document.getElementById('gate-decision').textContent, fields: Object.fromEntries([...document.querySelectorAll('#gate-summary dd')].map(d => [d.dataset.field, d.textContent])) })");
        var fields = read.GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new Shown(read.GetProperty("sentence").GetString()!, fields);
    }

    private async Task CreateExperimentAsync()
    {
        await stack.PostAsync("experiments", new JsonObject
        {
            ["key"] = Experiment,
            ["primary_metric"] = "ctr",
            ["variants"] = new JsonArray(
                new JsonObject { ["key"] = "popularity", ["weight"] = 0.9, ["recipe"] = Recipe, ["campaign"] = $"arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-{Recipe}" },
                new JsonObject { ["key"] = "trending-now", ["weight"] = 0.1, ["recipe"] = "aws-trending-now" }),
        });
        await stack.PostAsync($"experiments/{Experiment}/start", new JsonObject());
    }

    private static JsonObject Input() => new()
    {
        ["dataset_group"] = "pipeline",
        ["recipes"] = new JsonArray(Recipe),
        ["training_mode"] = "FULL",
        // The stack's failing run left the dataset group with its 500 interactions, too few to train on: the sample again.
        ["import"] = new JsonObject { ["interactions"] = "s3://sample/interactions.csv" },
        ["experiment"] = Experiment,
        ["online_gate"] = new JsonObject
        {
            ["recipe"] = Recipe,
            ["weight"] = 0.3,
            ["min_users"] = 100,
            ["max_days"] = MaxDays,
            ["poll_seconds"] = PollSeconds,
        },
    };

    [GeneratedRegex(@"\(after poll (\d+), ")]
    private static partial Regex PollOf();

    [GeneratedRegex(@"^(\S+) days$")]
    private static partial Regex DaysOf();
}
