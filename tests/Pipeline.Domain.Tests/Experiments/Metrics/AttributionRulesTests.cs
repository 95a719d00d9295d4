using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Domain.Tests.Experiments.Metrics;

public sealed class AttributionRulesTests
{
    private static readonly DateTimeOffset Served = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly Exposure Exposure = new("r1", "exp", "b", "u1", "aws-sims", "primary", ["i1"], Served);
    private static readonly ExperimentUserState State = new(0, "b", Served, 2, 0, 0, 0);

    private static InteractionEvent Event(string type = EventTypes.Purchase, string user = "u1", TimeSpan? after = null) =>
        new("e1", user, "i1", type, 9.5, "s1", "r1", Served + (after ?? TimeSpan.FromHours(1)));

    [Fact]
    public void Purchase_ByTheExposedUserWithinTheWindow_CountsForTheExposuresVariant()
    {
        var change = ExperimentUserMetrics.OnEvent(State, Exposure, Event());

        Assert.NotNull(change);
        Assert.Equal("b", change.Delta.VariantKey);
        Assert.Equal(9.5, change.Delta.Revenue);
        Assert.Equal(1, change.Delta.Purchasers);
    }

    [Fact]
    public void Event_ByAnotherUserWithTheRecommendationId_DoesNotCount() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(user: "u2")));

    [Fact]
    public void Window_IsSevenDaysAfterTheExposureInclusive()
    {
        Assert.NotNull(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromDays(7))));
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void Event_BeforeItsExposure_DoesNotCount() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromMinutes(-1))));

    [Fact]
    public void Views_DoNotCount() => Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(EventTypes.View)));

    [Fact]
    public void Exposure_FromBeforeTheUsersCurrentPhase_DoesNotCount() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State with { Phase = 1, FirstExposedAt = Served.AddHours(1) }, Exposure, Event(after: TimeSpan.FromHours(2))));

    [Fact]
    public void User_WithoutState_WasNeverExposedAndNothingCounts() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(null, Exposure, Event()));

    [Fact]
    public void Credit_GoesToTheVariantTheUserEnteredWith()
    {
        var change = ExperimentUserMetrics.OnEvent(State with { VariantKey = "a" }, Exposure, Event());

        Assert.Equal("a", change!.Delta.VariantKey);
    }

    [Fact]
    public void RepeatedExposures_CountListsButEnterTheUserOncePerPhase()
    {
        var first = ExperimentUserMetrics.OnExposure(null, 0, Exposure, covariate: 4, latencyMs: 10)!;
        var again = ExperimentUserMetrics.OnExposure(first.State, 0, Exposure with { ServedBy = "fallback:model-error" }, covariate: 99, latencyMs: 30)!;
        var newPhase = ExperimentUserMetrics.OnExposure(first.State, 1, Exposure with { VariantKey = "a" }, covariate: 7, latencyMs: 5)!;

        Assert.Equal((1, 1, 4d, 0), (first.Delta.ExposedUsers, first.Delta.Exposures, first.Delta.CovariateSum, first.Delta.FallbackExposures));
        Assert.Equal((0, 1, 0d, 1), (again.Delta.ExposedUsers, again.Delta.Exposures, again.Delta.CovariateSum, again.Delta.FallbackExposures));
        Assert.Equal(900d, again.Delta.LatencyMsSumOfSquares);
        Assert.Equal(new ExperimentUserState(1, "a", Served, 7, 0, 0, 0), newPhase.State);
        Assert.Equal(1, newPhase.Delta.ExposedUsers);
        Assert.Null(ExperimentUserMetrics.OnExposure(newPhase.State, 0, Exposure, 0, 1));
    }
}
