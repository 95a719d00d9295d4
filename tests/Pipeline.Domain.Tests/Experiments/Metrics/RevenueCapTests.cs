using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Tests.Experiments.Metrics;

/// <summary>A user's revenue counts up to <see cref="ExperimentUserMetrics.RevenueCapPerUser"/> (GrowthBook's absolute capping).</summary>
public sealed class RevenueCapTests
{
    private static readonly DateTimeOffset Served = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Exposure Exposure = new("r1", "exp", "b", "u1", "aws-sims", "primary", ["i1"], Served);
    private static readonly ExperimentUserState Entered = new(0, "b", Served, 2, 0, 0, 0);

    private static InteractionEvent Purchase(double value, int minute) =>
        new($"e{minute}", "u1", "i1", EventTypes.Purchase, value, "s1", "r1", Served.AddMinutes(minute));

    [Fact]
    public void OnEvent_PurchasesPastTheCap_AddOnlyUpToTheCap_SoSumsStayFiniteAndEqualTheCappedTotal()
    {
        var cap = ExperimentUserMetrics.RevenueCapPerUser;
        var state = Entered;
        double revenue = 0, sumOfSquares = 0;
        foreach (var (value, minute) in new[] { (cap * 0.6, 1), (cap * 0.7, 2), (1e200, 3), (5.0, 4) })
        {
            var change = ExperimentUserMetrics.OnEvent(state, Exposure, Purchase(value, minute))!;
            revenue += change.Delta.Revenue;
            sumOfSquares += change.Delta.RevenueSumOfSquares;
            state = change.State;
        }

        Assert.Equal(cap, revenue, precision: 6);
        Assert.Equal(cap * cap, sumOfSquares, precision: 3);
        Assert.Equal(4, state.Purchases);
        Assert.Equal(cap, state.Revenue);
    }

    [Fact]
    public void OnEvent_UnderTheCap_CountsEveryPurchaseInFull()
    {
        var change = ExperimentUserMetrics.OnEvent(Entered, Exposure, Purchase(9.5, 1))!;
        var second = ExperimentUserMetrics.OnEvent(change.State, Exposure, Purchase(20, 2))!;

        Assert.Equal(20, second.Delta.Revenue);
        Assert.Equal(29.5 * 29.5 - 9.5 * 9.5, second.Delta.RevenueSumOfSquares, precision: 9);
    }
}
