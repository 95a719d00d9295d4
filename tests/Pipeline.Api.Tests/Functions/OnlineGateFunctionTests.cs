using System.Text.Json.Nodes;
using Pipeline.Api.Functions;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Api.Tests.Functions;

/// <summary>
/// The gate's function (its JSON transport over <see cref="OnlineGateActions"/>) on in-memory stores, action by action as the workflow calls it: enter, decide at each poll, and the
/// leave action the decision names.
/// </summary>
public sealed class OnlineGateFunctionTests
{
    private const string Key = "gate";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly MemoryExperiments _experiments = new();
    private readonly MemoryMetrics _metrics = new();
    private readonly OnlineGateFunction _handler;

    public OnlineGateFunctionTests()
    {
        _handler = new OnlineGateFunction(new OnlineGateActions(_experiments, new ExperimentResultsService(_experiments, _metrics), new OnlineGateRule()));
        _experiments.Items[Key] = new Experiment(Key, ExperimentStatus.Running,
            [new Variant("popularity", 0.9, "aws-popularity-count"), new Variant("trending-now", 0.1, "aws-trending-now")], 1, "", Start)
        {
            PrimaryMetric = ExperimentMetrics.ClickThroughRate,
            StartedAt = Start,
            Phase = 1,
        };
    }

    private static JsonObject Settings => new() { ["weight"] = 0.1, ["min_users"] = 100, ["max_days"] = 2, ["poll_seconds"] = 3600 };

    private Task<JsonObject> EnterAsync() => _handler.HandleJsonAsync(new JsonObject
    {
        ["action"] = "enter",
        ["experiment"] = Key,
        ["settings"] = Settings,
        ["recipes"] = new JsonArray("aws-user-personalization"),
        ["results"] = new JsonArray(new JsonObject
        {
            ["recipe"] = "aws-user-personalization",
            ["status"] = "PROMOTED",
            ["campaignArn"] = "arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-aws-user-personalization",
        }),
    });

    private Task<JsonObject> DecideAsync(JsonObject entered, int polls) => _handler.HandleJsonAsync(new JsonObject
    {
        ["action"] = "decide",
        ["experiment"] = Key,
        ["challenger"] = entered["challenger"]!.GetValue<string>(),
        ["phase"] = entered["phase"]!.GetValue<int>(),
        ["settings"] = entered["settings"]!.DeepClone(),
        ["polls"] = polls,
    });

    /// <summary>The phase's users: the same CTR (10%) in every arm, so the interval of the lift keeps holding 0.</summary>
    private void NoEvidence(int phase)
    {
        _metrics.Rows[(Key, phase)] =
        [
            new VariantDayMetrics("popularity", DateOnly.FromDateTime(Start.UtcDateTime)) { ExposedUsers = 810, Exposures = 1620, Clickers = 81, Clicks = 81, ClicksSumOfSquares = 81 },
            new VariantDayMetrics("trending-now", DateOnly.FromDateTime(Start.UtcDateTime)) { ExposedUsers = 90, Exposures = 180, Clickers = 9, Clicks = 9, ClicksSumOfSquares = 9 },
            new VariantDayMetrics(OnlineGateActions.ChallengerKey, DateOnly.FromDateTime(Start.UtcDateTime)) { ExposedUsers = 100, Exposures = 200, Clickers = 10, Clicks = 10, ClicksSumOfSquares = 10 },
        ];
    }

    [Fact]
    public async Task Decide_WhenMaxDaysPassWithoutEvidence_SaysRollbackInconclusive_AndTheRollbackRemovesTheChallengersTraffic()
    {
        var entered = await EnterAsync();
        Assert.Equal("ENTERED", entered["status"]!.GetValue<string>());
        Assert.Equal([0.81, 0.09, 0.1], _experiments.Items[Key].Variants.Select(v => Math.Round(v.Weight, 9)));
        NoEvidence(entered["phase"]!.GetValue<int>());

        // 47 hourly polls: still waiting, the challenger keeps its 10%.
        var waiting = await DecideAsync(entered, polls: 47);
        Assert.Equal("wait", waiting["decision"]!.GetValue<string>());
        Assert.StartsWith("ctr: no evidence yet", waiting["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0.1, _experiments.Items[Key].Variants.Single(v => v.Key == OnlineGateActions.ChallengerKey).Weight, 9);

        // The 48th poll reaches max_days 2: inconclusive, so the gate rolls back rather than wait on.
        var expired = await DecideAsync(entered, polls: 48);
        Assert.Equal("rollback", expired["decision"]!.GetValue<string>());
        var reason = expired["reason"]!.GetValue<string>();
        Assert.StartsWith("max_days 2 reached without evidence that challenger beats popularity on ctr", reason, StringComparison.Ordinal);
        Assert.Contains($"{OnlineGateRule.Inconclusive}, challenger leaves and the control is kept", reason, StringComparison.Ordinal);
        Assert.Equal(2.0, expired["elapsed_days"]!.GetValue<double>());
        Assert.Equal(100, expired["challenger_users"]!.GetValue<long>());
        // The answer keeps the wire format the state machine's ResultSelector reads.
        Assert.Equal(OnlineGateFunction.AnswerMembers["decide"].Order(), expired.Select(p => p.Key).Order());

        // The workflow's rollback: the challenger leaves, the other weights are restored, the experiment is re-versioned.
        var rolledBack = await _handler.HandleJsonAsync(new JsonObject { ["action"] = "rollback", ["experiment"] = Key, ["challenger"] = "challenger" });
        Assert.Null(rolledBack["error"]);
        Assert.Equal("ROLLED_BACK", rolledBack["status"]!.GetValue<string>());
        var after = _experiments.Items[Key];
        Assert.Equal(["popularity", "trending-now"], after.Variants.Select(v => v.Key));
        Assert.Equal([0.9, 0.1], after.Variants.Select(v => Math.Round(v.Weight, 9)));
        Assert.Equal("aws-popularity-count", after.Variants[0].Recipe);
        Assert.Equal(3, after.Phase);

        // Nothing is left for a later poll to decide on.
        var late = await DecideAsync(entered, polls: 49);
        Assert.Equal(OnlineGateActions.Failed, late["error"]!.GetValue<string>());
    }

    private sealed class MemoryExperiments : IExperimentStore
    {
        public Dictionary<string, Experiment> Items { get; } = [];

        public Task UpsertAsync(Experiment experiment, CancellationToken cancellationToken = default)
        {
            Items[experiment.Key] = experiment;
            return Task.CompletedTask;
        }

        public Task<bool> CreateAsync(Experiment experiment, CancellationToken cancellationToken = default) =>
            Task.FromResult(Items.TryAdd(experiment.Key, experiment));

        public Task<bool> ReplaceAsync(Experiment current, Experiment updated, CancellationToken cancellationToken = default)
        {
            if (!Items.TryGetValue(current.Key, out var stored) || !ReferenceEquals(stored, current)) return Task.FromResult(false);
            Items[current.Key] = updated;
            return Task.FromResult(true);
        }

        public Task<Experiment?> GetAsync(string key, CancellationToken cancellationToken = default) =>
            Task.FromResult(Items.GetValueOrDefault(key));

        public Task<IReadOnlyList<Experiment>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Experiment>>([.. Items.Values]);
    }

    /// <summary>The daily rows per (experiment, phase); the gate only reads them.</summary>
    private sealed class MemoryMetrics : IExperimentMetricsStore
    {
        public Dictionary<(string, int), VariantDayMetrics[]> Rows { get; } = [];

        public Task<IReadOnlyList<VariantDayMetrics>> ListDailyAsync(string experimentKey, int phase, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<VariantDayMetrics>>(Rows.GetValueOrDefault((experimentKey, phase)) ?? []);

        public Task<ExperimentUserState?> GetUserAsync(string experimentKey, string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<ExperimentUserState?>(null);

        public Task UpdateAsync(string experimentKey, string userId, string? idempotencyKey, Func<ExperimentUserState?, MetricsChange?> update,
            CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the online gate never writes metrics");
    }
}
