using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Cli.Tests.Workflows;

/// <summary>
/// A bandit experiment on `pipeline up` (its scheduler updates the weights every period) driven by `pipeline simulate`,
/// with time compressed: 4-second periods after a 2-second burn-in, 12 seconds of traffic. A minimum share of 20% keeps
/// the first weight change moderate: requests in flight when it happens were bucketed with the old weights but count in
/// the new period, and on a loaded machine (CI runs several stacks at once) a 50/50 → 5/95 change leaks enough of them
/// to fail that period's SRM check.
/// </summary>
public sealed partial class BanditScheduleTests
{
    [Fact]
    public async Task Bandit_OnSimulatedTraffic_SendsMostListsToUserPersonalization_WithLessRegretThanAnEqualSplit()
    {
        await using var stack = await SimulationStack.StartAsync();
        var body = SimulationStack.TwoArms("popularity", "aws-popularity-count", "user-personalization", "aws-user-personalization");
        body["allocation"] = "bandit";
        body["bandit"] = new { period_seconds = 4, minimum_share = 0.2, burn_in_seconds = 2 };
        await stack.CreateAndStartAsync(body);

        var output = await stack.SimulateAsync(seed: 11, rps: 100, durationSeconds: 12);

        var figures = Figures().Match(output);
        Assert.True(figures.Success, output);
        var (regret, equalSplit, share) = (Number(figures, "regret"), Number(figures, "equal"), Number(figures, "share"));
        Assert.True(share > 0.6, output);
        Assert.True(regret < equalSplit, output);
        Assert.Matches(@"Bandit 'sim' period 1: popularity [\d.]+, user-personalization [\d.]+", stack.Output);

        var results = await stack.ResultsAsync();
        Assert.False(results.GetProperty("srm").GetProperty("mismatch").GetBoolean(), results.GetProperty("srm").ToString());
        var bandit = results.GetProperty("bandit");
        var periods = bandit.GetProperty("periods").EnumerateArray().ToArray();
        Assert.True(periods.Length >= 3, bandit.ToString());
        Assert.All(periods, p => Assert.False(p.GetProperty("srm_mismatch").GetBoolean(), p.ToString()));
        Assert.Equal([0.5, 0.5], periods[0].GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()));
        Assert.Equal(0.8, periods[^1].GetProperty("weights")[1].GetDouble());
        Assert.Equal("user-personalization", bandit.GetProperty("winner").GetString());
        // The scheduler keeps running, so the experiment read after the results may hold one more period: the results'
        // periods must be the history's first entries, as recorded.
        var experiment = await stack.Http.GetFromJsonAsync<JsonElement>("/experiments/sim");
        var history = experiment.GetProperty("weight_history").EnumerateArray().ToArray();
        Assert.InRange(history.Length, periods.Length, periods.Length + 1);
        Assert.All(periods.Zip(history), pair =>
        {
            Assert.Equal(pair.First.GetProperty("period").GetInt32(), pair.Second.GetProperty("period").GetInt32());
            Assert.Equal(Weights(pair.First), Weights(pair.Second));
        });
    }

    private static double[] Weights(JsonElement period) => [.. period.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble())];

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"regret (?<regret>[\d.]+) equal-split-regret (?<equal>[\d.]+) best-variant-share (?<share>[\d.]+)")]
    private static partial Regex Figures();
}
