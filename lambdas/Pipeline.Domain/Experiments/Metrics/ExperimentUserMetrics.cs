using Pipeline.Domain.Events;

namespace Pipeline.Domain.Experiments.Metrics;

/// <summary>
/// The O(1) update rules: from a user's state and one exposure or event, the user's new state and the
/// sums to add to the day's row. Pure, so the same rules build aggregates online and in tests.
/// </summary>
public static class ExperimentUserMetrics
{
    /// <summary>
    /// A user's revenue counts up to this much in the analysis (GrowthBook's absolute capping): one outsized or
    /// mistaken purchase cannot dominate a variant's mean and variance, nor overflow its sums of squares.
    /// </summary>
    public const double RevenueCapPerUser = 10_000;

    /// <summary>
    /// An exposure (a served list) in <paramref name="phase"/>. The first exposure of a user in a phase
    /// enters the user with <paramref name="covariate"/>; later ones only count the served list. An
    /// exposure of an older phase than the user's is stale and changes nothing. The entering user is stamped with
    /// <paramref name="period"/>, the bandit period whose weights bucketed them; later rows keep the stamped period.
    /// </summary>
    public static MetricsChange? OnExposure(ExperimentUserState? state, int phase, Exposure exposure, double covariate, double latencyMs, int period = 0)
    {
        var fallback = exposure.ServedBy != Recommendations.ServedBy.Primary ? 1 : 0;
        var day = Day(exposure.Timestamp);
        var histogram = LatencyHistogram.Of(latencyMs);
        if (state is null || state.Phase < phase)
        {
            var entered = new ExperimentUserState(phase, exposure.VariantKey, exposure.Timestamp, covariate, 0, 0, 0, period);
            return new MetricsChange(entered, new VariantDayMetrics(exposure.VariantKey, day)
            {
                Period = period,
                ExposedUsers = 1,
                Exposures = 1,
                FallbackExposures = fallback,
                LatencyMsSum = latencyMs,
                LatencyMsSumOfSquares = latencyMs * latencyMs,
                LatencyHistogram = histogram,
                CovariateSum = covariate,
                CovariateSumOfSquares = covariate * covariate,
            });
        }
        if (state.Phase > phase)
        {
            return null;
        }
        return new MetricsChange(state, new VariantDayMetrics(state.VariantKey, day)
        {
            Period = state.Period,
            Exposures = 1,
            FallbackExposures = fallback,
            LatencyMsSum = latencyMs,
            LatencyMsSumOfSquares = latencyMs * latencyMs,
            LatencyHistogram = histogram,
        });
    }

    /// <summary>A click or purchase attributed to <paramref name="exposure"/> (see <see cref="AttributionRules"/>).</summary>
    public static MetricsChange? OnEvent(ExperimentUserState? state, Exposure exposure, InteractionEvent interaction)
    {
        if (!AttributionRules.IsAttributable(interaction, exposure, state))
        {
            return null;
        }
        var s = state!;
        var x = s.Covariate;
        var row = new VariantDayMetrics(s.VariantKey, Day(interaction.Timestamp)) { Period = s.Period };
        if (interaction.EventType == EventTypes.Click)
        {
            var c = s.Clicks;
            var first = c == 0 ? 1 : 0;
            return new MetricsChange(s with { Clicks = c + 1 }, row with
            {
                Clicks = 1,
                ClicksSumOfSquares = 2 * c + 1, // (c + 1)² − c²
                ClicksCovariate = x,
                Clickers = first,
                ClickersCovariate = first * x,
            });
        }
        // The state keeps the user's revenue as counted, i.e. capped; the row adds what the cap lets through.
        var r = Math.Min(s.Revenue, RevenueCapPerUser);
        var capped = Math.Min(r + (interaction.EventValue ?? 0), RevenueCapPerUser);
        var value = capped - r;
        var firstPurchase = s.Purchases == 0 ? 1 : 0;
        return new MetricsChange(s with { Purchases = s.Purchases + 1, Revenue = capped }, row with
        {
            Purchases = 1,
            Revenue = value,
            RevenueSumOfSquares = capped * capped - r * r,
            RevenueCovariate = x * value,
            Purchasers = firstPurchase,
            PurchasersCovariate = firstPurchase * x,
        });
    }

    public static DateOnly Day(DateTimeOffset timestamp) => DateOnly.FromDateTime(timestamp.UtcDateTime);
}
