using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Pipeline.Cli.Tests.Workflows;

/// <summary>
/// The training workflow's online gate end to end, every part a real entry point in its own process: `pipeline up` on a
/// fresh data folder (it imports the sample through the training workflow first), `pipeline workflow start training`
/// with <c>online_gate</c> (the running stack runs it: StartExecution at its Step Functions endpoint, with the stack's
/// waits compressed 100x, so a <c>poll_seconds</c> of 100 is one second here), and rounds of `pipeline simulate` as the
/// live evidence; what happened is read back from the API (<c>/experiments/gate</c>, <c>/workflows</c>).
/// The stack serves the experiment "gate": popularity (the control, on its campaign) 90%, trending-now 10%.
/// </summary>
public sealed partial class OnlineGateTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string Experiment = "gate";
    private const int PollSeconds = 100;

    /// <summary>The sample of the gate's runs with traffic: 300 items in 6 categories, so personalized lists are clearly better.</summary>
    private static readonly Sample TrafficSample = new(1000, 300, 15000);

    /// <summary>A smaller sample (faster training) for runs without traffic.</summary>
    private static readonly Sample QuietSample = new(300, 200, 6000);

    private sealed record Sample(int Users, int Items, int Interactions);

    private Sample _sample = TrafficSample;

    /// <summary>Simulated traffic per round: 1,000 requests (200/s for 5 s) from the sample's shoppers.</summary>
    private const int RoundRequests = 1000;

    /// <summary>Rounds of traffic before the test stops driving a gate that has not decided (it then waits until max_days).</summary>
    private const int MaxRounds = 12;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("pipeline-online-gate-").FullName;
    // Where the time goes (reported, not asserted): the stack's start, its first import, each run's training and gate.
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private CliProcess? _up;
    private HttpClient? _http;

    private static string Campaign(string recipe) => $"arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-{recipe}";

    /// <summary>
    /// The issue's "done when": on `pipeline up` + `pipeline simulate`, a run whose offline gate promotes
    /// user-personalization enters it as the challenger against the popularity control, waits for live evidence and
    /// promotes it (the control then serves user-personalization's campaign); a second run's popularity challenger, worse
    /// than that control, is rolled back: it leaves the experiment and the alert names the decision; a third, shown to
    /// nobody, is rolled back once max_days of workflow time have passed.
    /// </summary>
    [Fact]
    public async Task OnlineGate_OnSimulatedTraffic_PromotesUserPersonalizationOverPopularity_ThenRollsBackAPopularityChallenger()
    {
        var http = await StartStackAsync(TrafficSample, firstRun: true);
        await CreateGateExperimentAsync();

        // 1. Promote: user-personalization, retrained and promoted by the offline gate, against the popularity control.
        var promoted = await RunGateAsync("aws-user-personalization", firstSeed: 100);

        Assert.Equal("PROMOTED", promoted.Result["status"]!.GetValue<string>());
        Assert.Equal("promote", promoted.Decision["decision"]!.GetValue<string>());
        Assert.True(promoted.Decision["sequential_low"]!.GetValue<double>() > 0, promoted.Decision.ToJsonString());
        Assert.True(promoted.Decision["challenger_users"]!.GetValue<long>() >= MinUsers, promoted.Decision.ToJsonString());
        Assert.Contains("PromoteChallenger", promoted.States);
        Assert.DoesNotContain("RollBackChallenger", promoted.States);
        var afterPromotion = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now"], Keys(afterPromotion));
        var control = afterPromotion["variants"]![0]!;
        Assert.Equal("aws-user-personalization", control["recipe"]!.GetValue<string>());
        Assert.Equal(Campaign("aws-user-personalization"), control["campaign"]!.GetValue<string>());
        Assert.Equal([0.9, 0.1], Weights(afterPromotion));
        // The control's next lists come from user-personalization (the API's experiment cache took the write at once).
        var served = await http.PostAsJsonAsync("/recommendations?force_variant=popularity", new { user_id = "user_0001", num_results = 5 });
        Assert.Equal("aws-user-personalization", JsonNode.Parse(await served.Content.ReadAsStringAsync())!["recipe"]!.GetValue<string>());

        // 2. Roll back: a popularity challenger against the control that now serves user-personalization.
        var rolledBack = await RunGateAsync("aws-popularity-count", firstSeed: 200);

        Assert.Equal("ROLLED_BACK", rolledBack.Result["status"]!.GetValue<string>());
        Assert.Equal("rollback", rolledBack.Decision["decision"]!.GetValue<string>());
        Assert.Contains("RollBackChallenger", rolledBack.States);
        Assert.Contains("NotifyOnlineGateRollBack", rolledBack.States);
        Assert.DoesNotContain("PromoteChallenger", rolledBack.States);
        var afterRollBack = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now"], Keys(afterRollBack));
        Assert.Equal("aws-user-personalization", afterRollBack["variants"]![0]!["recipe"]!.GetValue<string>());
        Assert.Equal(Campaign("aws-user-personalization"), afterRollBack["variants"]![0]!["campaign"]!.GetValue<string>());
        Assert.Equal([0.9, 0.1], Weights(afterRollBack));
        // Each gate re-versioned the experiment twice (challenger in, challenger out): users were bucketed afresh each time.
        Assert.Equal(4, afterRollBack["phase"]!.GetValue<int>());

        // The alert (the stack's alert log, as /workflows shows it) names the run and the gate's decision.
        var workflows = JsonNode.Parse(await http.GetStringAsync("/workflows"))!;
        var alert = Assert.Single(workflows["alerts"]!.AsArray(), a => a!["subject"]!.GetValue<string>() == "Pipeline online gate rolled back a model")!;
        Assert.Equal(rolledBack.ExecutionArn, alert["message"]!["execution"]!.GetValue<string>());
        Assert.Equal(Experiment, alert["message"]!["experiment"]!.GetValue<string>());
        Assert.Equal("ROLLED_BACK", alert["message"]!["online_gate_result"]!["status"]!.GetValue<string>());
        Assert.Equal(rolledBack.Decision["reason"]!.GetValue<string>(), alert["message"]!["online_gate_result"]!["decision"]!["reason"]!.GetValue<string>());

        // 3. No evidence: a challenger nobody is shown (no traffic) is rolled back once max_days of workflow time have
        // passed (0.01 day = 864 s: the ninth 100 s poll), and the control is kept.
        var expired = await RunGateAsync("aws-popularity-count", firstSeed: null, maxDays: 0.01);

        Assert.Equal("ROLLED_BACK", expired.Result["status"]!.GetValue<string>());
        Assert.Equal(9, expired.Result["polls"]!.GetValue<int>());
        Assert.StartsWith("max_days 0.01 reached without evidence", expired.Decision["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, expired.Decision["challenger_users"]!.GetValue<long>());
        var afterExpiry = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now"], Keys(afterExpiry));
        Assert.Equal("aws-user-personalization", afterExpiry["variants"]![0]!["recipe"]!.GetValue<string>());
        Assert.Equal(6, afterExpiry["phase"]!.GetValue<int>());
        var alerts = (await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([rolledBack.ExecutionArn, expired.ExecutionArn], alerts.Select(a => a["message"]!["execution"]!.GetValue<string>()));
    }

    /// <summary>
    /// `pipeline up` stopped (SIGTERM) while a gate waits: the stack stops the execution, which is kept ABORTED with its
    /// history (after a restart /workflows still shows it), and `workflow start` reports it instead of crashing. The
    /// challenger it had entered is still in the experiment after the restart (nothing decides for it); the next gated
    /// run removes it before its own challenger enters, and the experiment ends as it was.
    /// </summary>
    [Fact]
    public async Task OnlineGate_WhenPipelineUpStopsWhileTheGateWaits_TheRunIsKeptAborted_AndTheNextGateRemovesTheLeftoverChallenger()
    {
        await StartStackAsync(QuietSample, firstRun: true);
        await CreateGateExperimentAsync();
        var (waiting, _, _) = await StartRunAsync("aws-popularity-count", maxDays: 14);
        await using (waiting)
        {
            await StopStackAsync();

            Assert.True(await waiting.WaitForExitAsync(TimeSpan.FromMinutes(1)), waiting.Output);
            Assert.True(waiting.ExitCode == 1, waiting.Output);
            Assert.Contains("status:    ABORTED", waiting.Output, StringComparison.Ordinal);
            Assert.Contains("stopped answering while the execution ran", waiting.Output, StringComparison.Ordinal);
        }
        var abortedArn = ExecutionLine().Match(waiting.Output).Groups[1].Value;
        var abortedName = abortedArn[(abortedArn.LastIndexOf(':') + 1)..];

        await StartStackAsync(QuietSample, firstRun: false);
        var aborted = JsonNode.Parse(await _http!.GetStringAsync($"/workflows/executions/{abortedName}"))!;
        Assert.Equal("ABORTED", aborted["status"]!.GetValue<string>());
        Assert.Equal("Pipeline.Stopped", aborted["error"]!.GetValue<string>());
        var events = aborted["history"]!.AsArray();
        Assert.Contains(events, e => Name(e) == "WaitForLiveEvidence");
        Assert.Equal("ExecutionAborted", events[^1]!["type"]!.GetValue<string>());
        var listed = JsonNode.Parse(await _http.GetStringAsync("/workflows"))!["executions"]!.AsArray();
        Assert.Contains(listed, e => e!["name"]!.GetValue<string>() == abortedName && e["status"]!.GetValue<string>() == "ABORTED");
        var leftover = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now", "challenger"], Keys(leftover));
        Assert.Equal(1, leftover["phase"]!.GetValue<int>());

        // The next gate (no traffic, max_days 0.01): the leftover leaves as its challenger enters, one re-versioning.
        var next = await RunGateAsync("aws-popularity-count", firstSeed: null, maxDays: 0.01);

        Assert.Equal("ROLLED_BACK", next.Result["status"]!.GetValue<string>());
        Assert.Contains("the challenger an earlier run left in gate (aws-popularity-count, " + Campaign("aws-popularity-count") + ") was removed first",
            next.EnterReason, StringComparison.Ordinal);
        var after = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now"], Keys(after));
        Assert.Equal([0.9, 0.1], Weights(after));
        Assert.Equal(3, after["phase"]!.GetValue<int>());
    }

    /// <summary>
    /// A gate that fails once its challenger is in (here: the experiment re-versioned by hand while the gate waits, so the
    /// gate's evidence is gone) does not leave the challenger serving with nothing deciding for it: WithdrawChallenger
    /// removes it, then the run fails and the alert names the state that failed and why.
    /// </summary>
    [Fact]
    public async Task OnlineGate_WhenTheGateFailsAfterTheChallengerEntered_TheChallengerLeaves_AndTheRunFailsWithAnAlert()
    {
        await StartStackAsync(QuietSample, firstRun: true);
        await CreateGateExperimentAsync();
        var (run, _, _) = await StartRunAsync("aws-popularity-count", maxDays: 14);
        await using (run)
        {
            var reversioned = await _http!.PutAsJsonAsync($"/experiments/{Experiment}/weights",
                new { weights = new Dictionary<string, double> { ["popularity"] = 0.5, ["trending-now"] = 0.2, ["challenger"] = 0.3 }, reassign = true });
            Assert.True(reversioned.IsSuccessStatusCode, await reversioned.Content.ReadAsStringAsync());

            Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(2)), run.Output);
            Assert.True(run.ExitCode == 1, run.Output);
            Assert.Contains("status:    FAILED", run.Output, StringComparison.Ordinal);
        }
        var name = ExecutionLine().Match(run.Output).Groups[1].Value.Split(':')[^1];
        var execution = JsonNode.Parse(await _http!.GetStringAsync($"/workflows/executions/{name}"))!;
        Assert.Equal("Pipeline.OnlineGateFailed", execution["error"]!.GetValue<string>());
        var states = execution["history"]!.AsArray().Select(Name).OfType<string>().ToList();
        Assert.Equal(["OnlineGateFailed", "WithdrawChallenger", "NotifyFailure"], states.SkipWhile(s => s != "OnlineGateFailed").Take(3));

        // The hand-set weights of the other variants are kept, rescaled to the share the challenger had.
        var after = await ExperimentAsync();
        Assert.Equal(["popularity", "trending-now"], Keys(after));
        Assert.Equal([Math.Round(0.5 / 0.7, 9), Math.Round(0.2 / 0.7, 9)], Weights(after));
        Assert.Equal(3, after["phase"]!.GetValue<int>());
        var alert = JsonNode.Parse((await File.ReadAllLinesAsync(Path.Combine(_dataDir, "workflows", "alerts.jsonl"))).Single())!["message"]!;
        Assert.Equal("OnlineGate", alert["failedState"]!.GetValue<string>());
        Assert.Contains("re-versioned by hand", alert["error"]!["Cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private const int MinUsers = 100;

    private async Task CreateGateExperimentAsync()
    {
        var http = _http!;
        var created = await http.PostAsJsonAsync("/experiments", new
        {
            key = Experiment,
            primary_metric = "ctr",
            variants = new object[]
            {
                new { key = "popularity", weight = 0.9, recipe = "aws-popularity-count", campaign = Campaign("aws-popularity-count") },
                new { key = "trending-now", weight = 0.1, recipe = "aws-trending-now" },
            },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        Assert.True((await http.PostAsync($"/experiments/{Experiment}/start", null)).IsSuccessStatusCode);
    }

    /// <summary>
    /// Starts `pipeline workflow start training` with the gate on <paramref name="recipe"/> (that recipe retrained alone)
    /// and waits for its challenger to enter.
    /// </summary>
    private async Task<StartedRun> StartRunAsync(string recipe, double maxDays)
    {
        var input = new JsonObject
        {
            ["dataset_group"] = "pipeline",
            ["recipes"] = new JsonArray(recipe),
            ["training_mode"] = "FULL",
            ["experiment"] = Experiment,
            ["online_gate"] = new JsonObject
            {
                ["recipe"] = recipe,
                ["weight"] = 0.3,
                ["min_users"] = MinUsers,
                ["max_days"] = maxDays,
                ["poll_seconds"] = PollSeconds,
            },
        };
        var phaseBefore = (await ExperimentAsync())["phase"]!.GetValue<int>();
        var started = _clock.Elapsed;
        var run = CliProcess.Start(null, "workflow", "start", "training", "--data-dir", _dataDir, "--input", input.ToJsonString());

        // Training first (readiness, not performance): the challenger is in once the experiment has it in a new phase.
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await ExperimentAsync() is var current && !(Keys(current).Contains("challenger") && current["phase"]!.GetValue<int>() > phaseBefore))
        {
            Assert.False(run.HasExited, $"the run ended before its challenger entered:\n{run.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no challenger within 5 minutes:\n{run.Output}");
            await Task.Delay(250);
        }
        var enteredAt = _clock.Elapsed;
        var entered = await ExperimentAsync();
        Assert.Equal(phaseBefore + 1, entered["phase"]!.GetValue<int>());
        Assert.Equal(0.3, entered["variants"]!.AsArray().Single(v => v!["key"]!.GetValue<string>() == "challenger")!["weight"]!.GetValue<double>());
        return new StartedRun(run, started, enteredAt);
    }

    private sealed record StartedRun(CliProcess Process, TimeSpan StartedAt, TimeSpan EnteredAt);

    /// <summary>
    /// <see cref="StartRunAsync"/>, then rounds of simulated shoppers (none without <paramref name="firstSeed"/>) until the
    /// run ends; the execution as the API describes it.
    /// </summary>
    private async Task<GateRun> RunGateAsync(string recipe, int? firstSeed, double maxDays = 0.1)
    {
        var (run, started, enteredAt) = await StartRunAsync(recipe, maxDays);
        await using var _ = run;
        var rounds = 0;
        while (firstSeed is { } seed && !run.HasExited && rounds < MaxRounds)
        {
            await SimulateAsync(seed + rounds);
            rounds++;
        }
        // Without traffic an undecided gate waits out max_days (0.1 day: 87 one-second polls), then keeps the control.
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromMinutes(3)), run.Output);
        var decidedAt = _clock.Elapsed;
        Assert.True(run.ExitCode == 0, run.Output);
        var executionArn = ExecutionLine().Match(run.Output).Groups[1].Value;
        Assert.Contains("Started on the running stack", run.Output, StringComparison.Ordinal);

        // The execution as the API describes it: its output and the states it went through.
        var name = executionArn[(executionArn.LastIndexOf(':') + 1)..];
        var execution = JsonNode.Parse(await _http!.GetStringAsync($"/workflows/executions/{name}"))!;
        Assert.Equal("SUCCEEDED", execution["status"]!.GetValue<string>());
        var states = execution["history"]!.AsArray()
            .Select(e => e!["stateEnteredEventDetails"]?["name"]?.GetValue<string>()).OfType<string>().ToList();
        var output = JsonNode.Parse(execution["output"]!.GetValue<string>())!;
        var result = output["online_gate_result"]!;
        var decision = result["decision"]!;
        var waits = states.Count(s => s == "WaitForLiveEvidence");
        Assert.True(waits >= 1, string.Join(", ", states));
        Assert.Equal(waits, result["polls"]!.GetValue<int>());
        Assert.Equal(waits, states.Count(s => s == "OnlineGate"));
        // Elapsed time is workflow time (polls × poll_seconds), whatever the local compression made of the waits.
        Assert.Equal(waits * PollSeconds / 86400.0, decision["elapsed_days"]!.GetValue<double>(), 12);
        Assert.Equal(recipe, result["recipe"]!.GetValue<string>());
        // Wall time from the first wait to the decision, per poll (the stack compresses each 100 s Wait to 1 s).
        var entries = execution["history"]!.AsArray().Where(e => e!["stateEnteredEventDetails"] is not null).ToList();
        DateTimeOffset Entered(string state, bool last) => DateTimeOffset.Parse(
            (last ? entries.Last(e => Name(e) == state) : entries.First(e => Name(e) == state))!["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var perPoll = (Entered("OnlineGate", last: true) - Entered("WaitForLiveEvidence", last: false)).TotalSeconds / waits;
        Assert.Equal(Campaign(recipe), result["campaign"]!.GetValue<string>());
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{recipe}: challenger entered after {(enteredAt - started).TotalSeconds:0.0} s (training), decided {(decidedAt - enteredAt).TotalSeconds:0.0} s later; " +
            $"{result["status"]} after {waits} polls ({waits * PollSeconds} s of workflow time, {perPoll:0.00} s of wall time per poll) and {rounds} rounds of {RoundRequests} simulated requests; " +
            $"challenger users {decision["challenger_users"]}, control users {decision["control_users"]}, lift {decision["lift"]}, " +
            $"sequential interval [{decision["sequential_low"]}, {decision["sequential_high"]}]; {decision["reason"]}"));
        return new GateRun(executionArn, result.AsObject(), decision.AsObject(), states, output["onlineGate"]!["reason"]!.GetValue<string>());
    }

    private static string? Name(JsonNode? historyEvent) => historyEvent?["stateEnteredEventDetails"]?["name"]?.GetValue<string>();

    private sealed record GateRun(string ExecutionArn, JsonObject Result, JsonObject Decision, IReadOnlyList<string> States, string EnterReason);

    /// <summary>`pipeline up` on the test's folder; on its first run, until the first import has created the campaigns.</summary>
    private async Task<HttpClient> StartStackAsync(Sample sample, bool firstRun)
    {
        _sample = sample;
        _up = CliProcess.Start(new Dictionary<string, string> { ["Serving__DefaultExperiment"] = Experiment },
            "up", "--data-dir", _dataDir, "--port", "0", "--personalize-port", "0",
            "--sample-users", sample.Users.ToString(CultureInfo.InvariantCulture), "--sample-items", sample.Items.ToString(CultureInfo.InvariantCulture),
            "--sample-interactions", sample.Interactions.ToString(CultureInfo.InvariantCulture));
        var baseUrl = new Uri((await _up.WaitForAsync(RunningAt(), TimeSpan.FromMinutes(3))).Groups[1].Value);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pipeline up serving after {_clock.Elapsed.TotalSeconds:0.0} s"));
        if (firstRun)
        {
            // The fresh folder's first import (the training workflow on the sample) creates the campaigns the gate serves.
            var imported = await _up.WaitForAsync(FirstImportDone(), TimeSpan.FromMinutes(5));
            Assert.Equal("SUCCEEDED", imported.Groups[1].Value);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first import done after {_clock.Elapsed.TotalSeconds:0.0} s"));
        }
        return _http = new HttpClient { BaseAddress = baseUrl };
    }

    /// <summary>SIGTERM, as a service manager stops it: the stack drains and exits 0.</summary>
    private async Task StopStackAsync()
    {
        _up!.Signal(CliProcess.SigTerm);
        Assert.True(await _up.WaitForExitAsync(TimeSpan.FromMinutes(1)), _up.Output);
        Assert.True(_up.ExitCode == 0, _up.Output);
        await _up.DisposeAsync();
        _up = null;
        _http!.Dispose();
        _http = null;
    }

    private async Task SimulateAsync(int seed)
    {
        await using var simulate = CliProcess.Start(null, "simulate", "--url", _http!.BaseAddress!.ToString(),
            "--users", _sample.Users.ToString(CultureInfo.InvariantCulture), "--rps", "200", "--duration", (RoundRequests / 200).ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--sample-users", _sample.Users.ToString(CultureInfo.InvariantCulture), "--sample-items", _sample.Items.ToString(CultureInfo.InvariantCulture));
        Assert.True(await simulate.WaitForExitAsync(TimeSpan.FromMinutes(2)), simulate.Output);
        Assert.True(simulate.ExitCode == 0, simulate.Output);
        Assert.Contains($"requests {RoundRequests} failed 0", simulate.Output, StringComparison.Ordinal);
    }

    private async Task<JsonNode> ExperimentAsync() => JsonNode.Parse(await _http!.GetStringAsync($"/experiments/{Experiment}"))!;

    private static List<string> Keys(JsonNode experiment) => [.. experiment["variants"]!.AsArray().Select(v => v!["key"]!.GetValue<string>())];

    private static double[] Weights(JsonNode experiment) => [.. experiment["variants"]!.AsArray().Select(v => Math.Round(v!["weight"]!.GetValue<double>(), 9))];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        // Killed if still running (a failed assertion); stopped by the test otherwise.
        if (_up is not null) await _up.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();

    [GeneratedRegex(@"first import execution \S+ ([A-Z_]+)")]
    private static partial Regex FirstImportDone();

    [GeneratedRegex(@"^execution:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex ExecutionLine();
}
