using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Tests.Experiments.Results;

/// <summary>One simulated user: variant, entry day, pre-exposure events and attributed activity.</summary>
public sealed record SimulatedUser(string Id, string Variant, int Day, int Covariate, int Clicks, double[] Purchases);

/// <summary>
/// Builds daily aggregates from per-user data through the production update rules (the pure half of the
/// store): every user's exposure, clicks and purchases become events applied in order.
/// </summary>
public static class SimulatedUsers
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    public static List<SimulatedUser> Generate(int seed, int users, int days, Func<string, Random, (int Covariate, int Clicks, double[] Purchases)> behaviour)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, users).Select(i =>
        {
            var variant = random.NextDouble() < 0.5 ? "a" : "b";
            var (covariate, clicks, purchases) = behaviour(variant, random);
            return new SimulatedUser($"u{i}", variant, random.Next(days), covariate, clicks, purchases);
        }).ToList();
    }

    public static IReadOnlyList<VariantDayMetrics> Aggregate(IEnumerable<SimulatedUser> users)
    {
        var rows = new Dictionary<(string, DateOnly), VariantDayMetrics>();
        foreach (var user in users)
        {
            var at = Start.AddDays(user.Day);
            var exposure = new Exposure($"r-{user.Id}", "exp", user.Variant, user.Id, "r", "primary", [], at);
            var change = ExperimentUserMetrics.OnExposure(null, 0, exposure, user.Covariate, 12)!;
            Add(rows, change);
            var state = change.State;
            var minute = 1;
            for (var c = 0; c < user.Clicks; c++)
            {
                change = ExperimentUserMetrics.OnEvent(state, exposure, new("e", user.Id, "i", EventTypes.Click, null, "s", exposure.RecommendationId, at.AddMinutes(minute++)))!;
                Add(rows, change);
                state = change.State;
            }
            foreach (var value in user.Purchases)
            {
                change = ExperimentUserMetrics.OnEvent(state, exposure, new("e", user.Id, "i", EventTypes.Purchase, value, "s", exposure.RecommendationId, at.AddMinutes(minute++)))!;
                Add(rows, change);
                state = change.State;
            }
        }
        return rows.Values.OrderBy(r => r.Day).ThenBy(r => r.VariantKey).ToArray();
    }

    private static void Add(Dictionary<(string, DateOnly), VariantDayMetrics> rows, MetricsChange change)
    {
        var key = (change.Delta.VariantKey, change.Delta.Day);
        rows[key] = rows.TryGetValue(key, out var row) ? row.Add(change.Delta) : change.Delta;
    }
}
