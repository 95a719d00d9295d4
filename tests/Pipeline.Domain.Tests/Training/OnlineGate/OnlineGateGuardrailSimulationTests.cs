using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;
using Pipeline.Domain.Experiments.Results;
using Pipeline.Domain.Training.OnlineGate;
using Xunit.Abstractions;

namespace Pipeline.Domain.Tests.Training.OnlineGate;

/// <summary>
/// The gate's guardrails under repeated looks: seeded simulations of whole gates (control 90%, challenger 10%), polled
/// hourly over 14 days of growing data, each poll's decision taken by <see cref="OnlineGateRule"/> on the results
/// <see cref="ExperimentAnalyzer"/> computes from the cumulative aggregates. The primary metric has no clicks (no interval,
/// the gate waits), so a rollback can only come from the guardrail under test.
/// </summary>
public sealed class OnlineGateGuardrailSimulationTests(ITestOutputHelper output)
{
    private const int Gates = 400;
    private const int Polls = 14 * 24;

    /// <summary>Served lists per hour: 180 of the control, 20 of the challenger (two per user).</summary>
    private const int ControlExposuresPerPoll = 180;
    private const int ChallengerExposuresPerPoll = 20;

    private const double FallbackRate = 0.05;
    private const double LatencyMeanMs = 120;
    private const double LatencySdMs = 30;

    /// <summary>The p99 guardrail's lists: log-normal, median 80 ms and σ 0.5 (p95 182 ms, p99 256 ms).</summary>
    private const double TailMedianMs = 80;
    private const double TailSigma = 0.5;
    private static readonly double TailP95Ms = TailMedianMs * Math.Exp(TailSigma * 1.6448536);

    private static readonly DateOnly Day = new(2026, 12, 1);
    private readonly OnlineGateRule _rule = new();

    private static OnlineGateSettings Settings(string guardrail) =>
        new(Recipe: null, Weight: 0.1, MinUsers: 1, MaxDays: 30, Metric: "ctr", Guardrails: [guardrail], PollSeconds: OnlineGateSettings.DefaultPollSeconds);

    private static readonly Experiment GateExperiment = new("gate", ExperimentStatus.Running,
        [new Variant("popularity", 0.9, "aws-popularity-count"), new Variant(OnlineGateActions.ChallengerKey, 0.1, "aws-user-personalization")],
        1, "", DateTimeOffset.UnixEpoch)
    {
        PrimaryMetric = ExperimentMetrics.ClickThroughRate,
        Guardrails = GuardrailMetrics.All,
        StartedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData(GuardrailMetrics.FallbackRate, 20261206)]
    [InlineData(GuardrailMetrics.Latency, 20261207)]
    [InlineData(GuardrailMetrics.LatencyP99, 20261208)]
    public void Decide_WhenAGuardrailHasNoRealHarm_RollsBackAtMostAlphaOfGatesOverEveryPoll(string guardrail, int seed)
    {
        var random = new Random(seed);
        var settings = Settings(guardrail);
        int rolledBack = 0, fixedHorizonWouldRollBack = 0;
        for (var g = 0; g < Gates; g++)
        {
            var (decided, fixedHorizonHarm) = RunGate(random, settings, guardrail, challengerShift: 0);
            rolledBack += decided is not null ? 1 : 0;
            fixedHorizonWouldRollBack += fixedHorizonHarm ? 1 : 0;
        }
        var allowed = ExperimentAnalyzer.GuardrailAlpha * Gates;
        output.WriteLine($"{guardrail}, no harm, {Gates} gates x {Polls} hourly polls: the gate rolled back {rolledBack} " +
            $"({rolledBack / (double)Gates:P1}, allowed {allowed}); the fixed-horizon interval read at every poll would have rolled back " +
            $"{fixedHorizonWouldRollBack} ({fixedHorizonWouldRollBack / (double)Gates:P1})");

        Assert.True(rolledBack <= allowed, $"{rolledBack} false rollbacks of {Gates} gates, more than α = {ExperimentAnalyzer.GuardrailAlpha} allows");
        // The same data read with the fixed-horizon interval at every poll exceeds that bound: the simulation can tell the two apart.
        Assert.True(fixedHorizonWouldRollBack > allowed, $"fixed horizon: {fixedHorizonWouldRollBack} of {Gates}");
    }

    [Theory]
    [InlineData(GuardrailMetrics.FallbackRate, 0.03, 1)]
    [InlineData(GuardrailMetrics.Latency, 15, 2)]
    [InlineData(GuardrailMetrics.LatencyP99, 3, 3)] // the challenger's lists above the p95 take 3× as long: its p99 is 3×
    public void Decide_WhenAGuardrailHasRealHarm_RollsBackEveryGateBeforeMaxDays(string guardrail, double harm, int seed)
    {
        const int gates = 50;
        var random = new Random(seed);
        var settings = Settings(guardrail);
        var polls = new List<int>();
        for (var g = 0; g < gates; g++)
        {
            var (decided, _) = RunGate(random, settings, guardrail, harm);
            Assert.NotNull(decided);
            Assert.Equal(OnlineGateOutcome.RollBack, decided.Value.Decision.Outcome);
            Assert.StartsWith($"guardrail {guardrail}: challenger ", decided.Value.Decision.Reason, StringComparison.Ordinal);
            polls.Add(decided.Value.Poll);
        }
        polls.Sort();
        output.WriteLine($"{guardrail}, harm {(guardrail == GuardrailMetrics.LatencyP99 ? $"tail x{harm}" : $"+{harm}")}: all {gates} gates rolled back, after {polls[0]}–{polls[^1]} polls (median {polls[gates / 2]})");
    }

    /// <summary>
    /// One gate: polls until the rule rolls back (the decision and its poll) or <see cref="Polls"/> have passed (null); and
    /// whether the fixed-horizon flag (<see cref="GuardrailResult.Harm"/>) was set at any poll.
    /// </summary>
    private ((OnlineGateDecision Decision, int Poll)? Decided, bool FixedHorizonHarm) RunGate(
        Random random, OnlineGateSettings settings, string guardrail, double challengerShift)
    {
        var control = new VariantDayMetrics("popularity", Day);
        var challenger = new VariantDayMetrics(OnlineGateActions.ChallengerKey, Day);
        var fixedHorizonHarm = false;
        for (var poll = 1; poll <= Polls; poll++)
        {
            control = Add(random, control, ControlExposuresPerPoll, guardrail, 0);
            challenger = Add(random, challenger, ChallengerExposuresPerPoll, guardrail, challengerShift);
            var results = ExperimentAnalyzer.Analyze(GateExperiment, [control, challenger]);
            fixedHorizonHarm |= results.Guardrails.Single(r => r.Metric == guardrail && r.Variant == OnlineGateActions.ChallengerKey).Harm;
            var decision = _rule.Decide(settings, results, OnlineGateActions.ChallengerKey, poll * 3600.0);
            if (decision.Outcome != OnlineGateOutcome.Wait) return ((decision, poll), fixedHorizonHarm);
        }
        return (null, fixedHorizonHarm);
    }

    /// <summary>
    /// One hour of served lists: fallbacks at <see cref="FallbackRate"/> (+ shift), latencies N(mean + shift, sd), or for the
    /// p99 guardrail log-normal latencies whose lists above the p95 take shift times as long (shift 0: unchanged).
    /// </summary>
    private static VariantDayMetrics Add(Random random, VariantDayMetrics arm, int exposures, string guardrail, double shift)
    {
        long fallbacks = 0;
        double latency = 0, latencySquares = 0;
        var buckets = new long[LatencyHistogram.BucketCount];
        for (var i = 0; i < exposures; i++)
        {
            if (guardrail == GuardrailMetrics.LatencyP99)
            {
                var x = TailMedianMs * Math.Exp(TailSigma * Normal(random));
                x = shift > 0 && x > TailP95Ms ? shift * x : x;
                latency += x;
                latencySquares += x * x;
                buckets[LatencyHistogram.BucketOf(x)]++;
            }
            else if (guardrail == GuardrailMetrics.FallbackRate)
            {
                fallbacks += random.NextDouble() < FallbackRate + shift ? 1 : 0;
                latency += LatencyMeanMs;
                latencySquares += LatencyMeanMs * LatencyMeanMs;
            }
            else
            {
                var x = LatencyMeanMs + shift + LatencySdMs * Normal(random);
                latency += x;
                latencySquares += x * x;
            }
        }
        return arm with
        {
            ExposedUsers = arm.ExposedUsers + exposures / 2,
            Exposures = arm.Exposures + exposures,
            FallbackExposures = arm.FallbackExposures + fallbacks,
            LatencyMsSum = arm.LatencyMsSum + latency,
            LatencyMsSumOfSquares = arm.LatencyMsSumOfSquares + latencySquares,
            LatencyHistogram = arm.LatencyHistogram.Add(LatencyHistogram.FromCounts(buckets)),
        };
    }

    // Box–Muller: a standard normal from two uniforms.
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
