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
    public void A_purchase_by_the_exposed_user_within_the_window_counts_for_the_exposures_variant()
    {
        var change = ExperimentUserMetrics.OnEvent(State, Exposure, Event());

        Assert.NotNull(change);
        Assert.Equal("b", change.Delta.VariantKey);
        Assert.Equal(9.5, change.Delta.Revenue);
        Assert.Equal(1, change.Delta.Purchasers);
    }

    [Fact]
    public void An_event_by_another_user_with_the_recommendation_id_does_not_count() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(user: "u2")));

    [Fact]
    public void The_window_is_seven_days_after_the_exposure_inclusive()
    {
        Assert.NotNull(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromDays(7))));
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void An_event_before_its_exposure_does_not_count() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(after: TimeSpan.FromMinutes(-1))));

    [Fact]
    public void Views_do_not_count() => Assert.Null(ExperimentUserMetrics.OnEvent(State, Exposure, Event(EventTypes.View)));

    [Fact]
    public void An_exposure_from_before_the_users_current_phase_does_not_count() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(State with { Phase = 1, FirstExposedAt = Served.AddHours(1) }, Exposure, Event(after: TimeSpan.FromHours(2))));

    [Fact]
    public void A_user_without_state_was_never_exposed_and_nothing_counts() =>
        Assert.Null(ExperimentUserMetrics.OnEvent(null, Exposure, Event()));

    [Fact]
    public void The_credit_goes_to_the_variant_the_user_entered_with()
    {
        var change = ExperimentUserMetrics.OnEvent(State with { VariantKey = "a" }, Exposure, Event());

        Assert.Equal("a", change!.Delta.VariantKey);
    }

    [Fact]
    public void Repeated_exposures_count_lists_but_enter_the_user_once_per_phase()
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
