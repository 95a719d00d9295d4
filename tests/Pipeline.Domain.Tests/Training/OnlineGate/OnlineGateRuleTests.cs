using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Domain.Training.OnlineGate;

namespace Pipeline.Domain.Tests.Training.OnlineGate;

/// <summary>
/// The rule on results the real analyzer computes from daily aggregates (what GET /experiments/{key}/results answers):
/// the control "popularity" at 90% of the traffic, the challenger at 10%.
/// </summary>
public sealed class OnlineGateRuleTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);
    private const double Hour = 3600;
    private readonly OnlineGateRule _rule = new();

    private static OnlineGateSettings Settings(long minUsers = 1000, double maxDays = 14, params string[] guardrails) =>
        new(Recipe: null, Weight: 0.1, MinUsers: minUsers, MaxDays: maxDays, Metric: "ctr",
            Guardrails: guardrails.Length == 0 ? ["fallback_rate", "latency_ms"] : guardrails, PollSeconds: OnlineGateSettings.DefaultPollSeconds);

    /// <summary>Users, clickers, and per served list (two per user) fallbacks and a latency of mean ± 1 ms.</summary>
    private static VariantDayMetrics Arm(string key, long users, long clickers, long fallbacks = 0, double latencyMs = 10)
    {
        var exposures = 2 * users;
        return new VariantDayMetrics(key, Day)
        {
            ExposedUsers = users,
            Exposures = exposures,
            Clickers = clickers,
            Clicks = clickers,
            ClicksSumOfSquares = clickers,
            FallbackExposures = fallbacks,
            LatencyMsSum = exposures * latencyMs,
            // Half the lists at mean − 1, half at mean + 1: Σx² = n (mean² + 1).
            LatencyMsSumOfSquares = exposures * (latencyMs * latencyMs + 1),
        };
    }

    private static ExperimentResults Results(VariantDayMetrics control, VariantDayMetrics challenger)
    {
        var experiment = new Experiment("gate", ExperimentStatus.Running,
            [new Variant("popularity", 0.9, "aws-popularity-count"), new Variant(OnlineGateActions.ChallengerKey, 0.1, "aws-user-personalization")],
            1, "", DateTimeOffset.UnixEpoch)
        {
            PrimaryMetric = ExperimentMetrics.ClickThroughRate,
            Guardrails = GuardrailMetrics.All,
            StartedAt = DateTimeOffset.UnixEpoch,
        };
        return ExperimentAnalyzer.Analyze(experiment, [control, challenger]);
    }

    [Fact]
    public void Decide_WhenTheSequentialIntervalIsAboveZero_AndMinUsersReached_Promotes()
    {
        var results = Results(Arm("popularity", 9000, 900), Arm("challenger", 1000, 200));

        var decision = _rule.Decide(Settings(minUsers: 1000), results, "challenger", 24 * Hour);

        Assert.Equal(OnlineGateOutcome.Promote, decision.Outcome);
        Assert.True(decision.SequentialLow > 0, decision.Reason);
        Assert.Equal(1000, decision.ChallengerUsers);
        Assert.Equal(9000, decision.ControlUsers);
        Assert.Equal(1.0, decision.ElapsedDays);
        Assert.StartsWith("ctr: challenger beats popularity (sequential interval of the relative lift [", decision.Reason);
    }

    [Fact]
    public void Decide_WhenTheChallengerIsBetterButBelowMinUsers_Waits()
    {
        var results = Results(Arm("popularity", 9000, 900), Arm("challenger", 1000, 200));

        var decision = _rule.Decide(Settings(minUsers: 1001), results, "challenger", Hour);

        Assert.Equal(OnlineGateOutcome.Wait, decision.Outcome);
        Assert.True(decision.SequentialLow > 0, decision.Reason);
        Assert.Contains("has 1000 of the 1001 users needed", decision.Reason);
    }

    [Fact]
    public void Decide_WhenTheSequentialIntervalIsBelowZero_RollsBackWhateverTheUsers()
    {
        var results = Results(Arm("popularity", 9000, 1800), Arm("challenger", 1000, 100));

        var decision = _rule.Decide(Settings(minUsers: 100_000), results, "challenger", Hour);

        Assert.Equal(OnlineGateOutcome.RollBack, decision.Outcome);
        Assert.True(decision.SequentialHigh < 0, decision.Reason);
        Assert.StartsWith("ctr: challenger is significantly worse than popularity", decision.Reason);
    }

    [Fact]
    public void Decide_WhenTheIntervalHoldsZero_WaitsUntilMaxDays_ThenKeepsTheControl()
    {
        var results = Results(Arm("popularity", 9000, 900), Arm("challenger", 1000, 100));

        var early = _rule.Decide(Settings(maxDays: 2), results, "challenger", 47 * Hour);
        var expired = _rule.Decide(Settings(maxDays: 2), results, "challenger", 48 * Hour);

        Assert.Equal(OnlineGateOutcome.Wait, early.Outcome);
        Assert.True(early.SequentialLow < 0 && early.SequentialHigh > 0, early.Reason);
        Assert.StartsWith("ctr: no evidence yet", early.Reason);
        Assert.Equal(OnlineGateOutcome.RollBack, expired.Outcome);
        Assert.StartsWith("max_days 2 reached without evidence that challenger beats popularity on ctr", expired.Reason);
        Assert.EndsWith("the control is kept", expired.Reason);
    }

    [Fact]
    public void Decide_WhenTheChallengerIsBetterButHasTooFewUsersAtMaxDays_RollsBack()
    {
        var results = Results(Arm("popularity", 9000, 900), Arm("challenger", 1000, 200));

        var decision = _rule.Decide(Settings(minUsers: 5000, maxDays: 1), results, "challenger", 24 * Hour);

        Assert.Equal(OnlineGateOutcome.RollBack, decision.Outcome);
        Assert.StartsWith("max_days 1 reached", decision.Reason);
    }

    [Fact]
    public void Decide_WhenTheFallbackGuardrailShowsHarm_RollsBackEvenIfTheMetricWins()
    {
        var results = Results(Arm("popularity", 9000, 900, fallbacks: 90), Arm("challenger", 1000, 200, fallbacks: 400));

        var decision = _rule.Decide(Settings(), results, "challenger", Hour);

        Assert.Equal(OnlineGateOutcome.RollBack, decision.Outcome);
        Assert.StartsWith("guardrail fallback_rate: challenger 0.2 is significantly worse than popularity 0.005", decision.Reason);
    }

    [Fact]
    public void Decide_WhenTheLatencyGuardrailShowsHarm_RollsBack_OnlyIfTheSettingsNameIt()
    {
        var results = Results(Arm("popularity", 9000, 900, latencyMs: 10), Arm("challenger", 1000, 200, latencyMs: 30));

        var guarded = _rule.Decide(Settings(1000, 14, "latency_ms"), results, "challenger", Hour);
        var unguarded = _rule.Decide(Settings(1000, 14, "fallback_rate"), results, "challenger", Hour);

        Assert.Equal(OnlineGateOutcome.RollBack, guarded.Outcome);
        Assert.StartsWith("guardrail latency_ms: challenger 30 is significantly worse than popularity 10", guarded.Reason);
        Assert.Equal(OnlineGateOutcome.Promote, unguarded.Outcome);
    }

    /// <summary>
    /// The control's lists: 99% at 10 ms and 1% at 100 ms; the challenger's: 90% at 10 ms and 10% at 100 ms. The rule rolls
    /// back on the p99 guardrail as on the others, and its reason says which share of lists the interval is of.
    /// </summary>
    [Fact]
    public void Decide_WhenTheP99GuardrailShowsHarm_RollsBackWithAReasonNamingTheSlowerListsShare()
    {
        static VariantDayMetrics WithTail(VariantDayMetrics arm, double slowShare)
        {
            var counts = new long[LatencyHistogram.BucketCount];
            var slow = (long)Math.Round(arm.Exposures * slowShare);
            counts[LatencyHistogram.BucketOf(10)] = arm.Exposures - slow;
            counts[LatencyHistogram.BucketOf(100)] = slow;
            return arm with { LatencyHistogram = LatencyHistogram.FromCounts(counts) };
        }
        var results = Results(WithTail(Arm("popularity", 9000, 900), 0.01), WithTail(Arm("challenger", 1000, 200), 0.10));

        var guarded = _rule.Decide(Settings(1000, 14, GuardrailMetrics.LatencyP99), results, "challenger", Hour);
        var unguarded = _rule.Decide(Settings(1000, 14, "fallback_rate"), results, "challenger", Hour);

        Assert.Equal(OnlineGateOutcome.RollBack, guarded.Outcome);
        var (p99Fast, p99Slow, threshold) = (LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(10)),
            LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(100)), LatencyHistogram.LowerBoundMs(LatencyHistogram.BucketOf(100)));
        Assert.StartsWith(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"guardrail latency_p99_ms: challenger {p99Slow:0.####} is significantly worse than popularity {p99Fast:0.####} (sequential interval of the difference in the share of lists slower than {threshold:0.####} ms ["),
            guarded.Reason);
        Assert.Equal(OnlineGateOutcome.Promote, unguarded.Outcome);
    }

    [Fact]
    public void Decide_WithoutUsersYet_Waits()
    {
        var results = Results(Arm("popularity", 0, 0), Arm("challenger", 0, 0));

        var decision = _rule.Decide(Settings(), results, "challenger", 0);

        Assert.Equal(OnlineGateOutcome.Wait, decision.Outcome);
        Assert.Null(decision.SequentialLow);
        Assert.Equal("ctr: no evidence yet (no sequential interval yet; 0 users)", decision.Reason);
    }

    [Fact]
    public void Decide_ForAVariantTheExperimentDoesNotHave_Throws()
    {
        var results = Results(Arm("popularity", 10, 1), Arm("challenger", 10, 1));

        Assert.Throws<ArgumentException>(() => _rule.Decide(Settings(), results, "other", 0));
    }
}
