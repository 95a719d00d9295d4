using Pipeline.Domain.Events;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Metrics;

namespace Pipeline.Stores.Contracts.Experiments;

/// <summary>
/// A scripted sequence of exposures and events through the recorder into a real backend's metrics, exposure and
/// event stores, with hand-computed sums.
/// </summary>
public abstract class ExperimentMetricsStoreContract : StoreContract
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day2 = Day1.AddDays(1);
    private static readonly Experiment Experiment = new("exp", ExperimentStatus.Running,
        [new Variant("a", 0.5, "r"), new Variant("b", 0.5, "r")], Coverage: 1, Seed: "", CreatedAt: Day1);

    private int _eventId;

    private IEventStore EventStore => Backend.Events;
    private IExposureStore ExposureStore => Backend.Exposures;
    private IExperimentMetricsStore Store => Backend.Metrics;
    private ExperimentMetricsRecorder Recorder => new(Backend.Metrics, Backend.Exposures, Backend.Events);

    private async Task Expose(string id, string user, string variant, DateTimeOffset at, double latencyMs = 10, string servedBy = "primary")
    {
        var exposure = new Exposure(id, "exp", variant, user, "r", servedBy, ["i1"], at);
        await ExposureStore.AppendAsync(exposure);
        await Recorder.RecordExposureAsync(exposure, Experiment.Phase, TimeSpan.FromMilliseconds(latencyMs));
    }

    private async Task Event(string user, string type, string? recommendation, DateTimeOffset at, double? value = null)
    {
        var e = new InteractionEvent($"e{++_eventId}", user, "i1", type, value, "s", recommendation, at);
        await EventStore.AppendAsync([e]);
        await Recorder.RecordEventAsync(e);
    }

    private async Task RunScript()
    {
        // Pre-exposure activity: u1 has 3 events, u3 has 1, u2 none.
        for (var i = 0; i < 3; i++) await Event("u1", EventTypes.View, null, Day1.AddHours(1 + i));
        await Event("u3", EventTypes.View, null, Day1.AddHours(1));

        await Expose("r1", "u1", "a", Day1.AddHours(10), latencyMs: 10);
        await Expose("r2", "u2", "b", Day1.AddHours(11), latencyMs: 20);
        await Expose("r3", "u3", "a", Day1.AddHours(12), latencyMs: 30, servedBy: "fallback:model-error");
        await Event("u1", EventTypes.Click, "r1", Day1.AddHours(12));
        await Event("u1", EventTypes.Click, "r1", Day1.AddHours(12.5));
        await Event("u1", EventTypes.Purchase, "r1", Day1.AddHours(13), 10);

        await Event("u2", EventTypes.Purchase, "r2", Day2.AddHours(9), 4);
        await Event("u2", EventTypes.Purchase, "r2", Day2.AddHours(10), 6);
        await Event("u1", EventTypes.Purchase, "r1", Day2.AddHours(11), 5);
        await Expose("r4", "u1", "a", Day2.AddHours(12), latencyMs: 40);
        await Event("u3", EventTypes.Click, "r1", Day2.AddHours(13));        // u1's list: not u3's
        await Event("u3", EventTypes.View, "r3", Day2.AddHours(13));         // views are not attributed
        await Event("u3", EventTypes.Click, "r3", Day1.AddHours(12).AddDays(8)); // past the 7-day window
        await Event("u2", EventTypes.Purchase, "unknown", Day2.AddHours(14), 99);
    }

    [Fact]
    public async Task ScriptedExposuresAndEvents_GiveTheHandComputedDailySums()
    {
        await RunScript();

        var rows = (await Store.ListDailyAsync("exp", 0)).ToDictionary(r => (r.VariantKey, r.Day.Day));

        var a1 = rows[("a", 2)];
        Assert.Equal((2L, 2L, 1L), (a1.ExposedUsers, a1.Exposures, a1.FallbackExposures));
        Assert.Equal((40d, 1000d), (a1.LatencyMsSum, a1.LatencyMsSumOfSquares));       // 10 + 30; 100 + 900
        Assert.Equal((4d, 10d), (a1.CovariateSum, a1.CovariateSumOfSquares));          // u1: 3, u3: 1
        Assert.Equal((1L, 2L, 4d, 3d, 6d), (a1.Clickers, a1.Clicks, a1.ClicksSumOfSquares, a1.ClickersCovariate, a1.ClicksCovariate)); // 1² + (2² − 1²)
        Assert.Equal((1L, 1L, 10d, 100d, 3d, 30d), (a1.Purchasers, a1.Purchases, a1.Revenue, a1.RevenueSumOfSquares, a1.PurchasersCovariate, a1.RevenueCovariate));

        var b1 = rows[("b", 2)];
        Assert.Equal((1L, 1L, 0d, 0L), (b1.ExposedUsers, b1.Exposures, b1.CovariateSum, b1.Purchases));

        var a2 = rows[("a", 3)];
        Assert.Equal((0L, 1L, 40d), (a2.ExposedUsers, a2.Exposures, a2.LatencyMsSum));
        Assert.Equal((0L, 1L, 5d, 125d, 15d), (a2.Purchasers, a2.Purchases, a2.Revenue, a2.RevenueSumOfSquares, a2.RevenueCovariate)); // 15² − 10²
        Assert.Equal(0L, a2.Clicks);

        var b2 = rows[("b", 3)];
        Assert.Equal((1L, 2L, 10d, 100d), (b2.Purchasers, b2.Purchases, b2.Revenue, b2.RevenueSumOfSquares)); // 4² + (10² − 4²)

        Assert.Equal(4, rows.Count);
    }

    /// <summary>
    /// Each served list counts in one latency bucket of its variant's row for the day, summed over users (and the DynamoDB
    /// store's shards) like the other sums, so the p99 of the summed rows is read off the stored counts.
    /// </summary>
    [Fact]
    public async Task Exposures_CountEachListInOneLatencyBucketOfTheVariantsDailyRow()
    {
        for (var i = 1; i <= 8; i++) await Expose($"a{i}", $"u{i}", "a", Day1.AddHours(i), latencyMs: 10);
        await Expose("a9", "u1", "a", Day1.AddHours(9), latencyMs: 10);       // a returning user's list counts too
        await Expose("a10", "u9", "a", Day1.AddHours(10), latencyMs: 500);
        await Expose("b1", "u10", "b", Day1.AddHours(11), latencyMs: 20);
        await Expose("b2", "u11", "b", Day1.AddHours(12), latencyMs: 5000);   // past the last bound: the overflow bucket
        await Expose("a11", "u2", "a", Day2.AddHours(1), latencyMs: 0.1);

        var rows = (await Store.ListDailyAsync("exp", 0)).ToDictionary(r => (r.VariantKey, r.Day.Day));

        var a1 = rows[("a", 2)].LatencyHistogram;
        Assert.Equal((10L, 9L, 1L), (a1.Total, a1[LatencyHistogram.BucketOf(10)], a1[LatencyHistogram.BucketOf(500)]));
        var b1 = rows[("b", 2)].LatencyHistogram;
        Assert.Equal((2L, 1L, 1L), (b1.Total, b1[LatencyHistogram.BucketOf(20)], b1[LatencyHistogram.BucketCount - 1]));
        Assert.Equal((1L, 1L), (rows[("a", 3)].LatencyHistogram.Total, rows[("a", 3)].LatencyHistogram[0]));
        Assert.All(rows.Values, r => Assert.Equal(r.Exposures, r.LatencyHistogram.Total));
        // 11 lists of a: the 11th (⌈0.99 × 11⌉) is the 500 ms one, read as its bucket's upper bound.
        var a = rows[("a", 2)].Add(rows[("a", 3)]);
        Assert.Equal(LatencyHistogram.UpperBoundMs(LatencyHistogram.BucketOf(500)), a.LatencyHistogram.QuantileMs(0.99));
    }

    /// <summary>
    /// The store adds whatever histogram a change carries: none (an event's attribution), one bucket (a list), or several
    /// at once, on top of the row's earlier counts.
    /// </summary>
    [Fact]
    public async Task Update_AddsEveryBucketOfTheChangesHistogram_ToTheDailyRow()
    {
        var day = DateOnly.FromDateTime(Day1.UtcDateTime);
        var state = new ExperimentUserState(0, "a", Day1, 0, 0, 0, 0);
        var counts = new long[LatencyHistogram.BucketCount];
        (counts[3], counts[LatencyHistogram.BucketCount - 1]) = (2, 1);
        MetricsChange Change(LatencyHistogram histogram) =>
            new(state, new VariantDayMetrics("a", day) { Exposures = histogram.Total, LatencyHistogram = histogram });

        await Store.UpdateAsync("exp", "u1", null, _ => Change(LatencyHistogram.Of(0.1)));
        await Store.UpdateAsync("exp", "u1", null, _ => Change(LatencyHistogram.FromCounts(counts)));
        await Store.UpdateAsync("exp", "u1", null, _ => Change(LatencyHistogram.Empty));

        var histogram = Assert.Single(await Store.ListDailyAsync("exp", 0)).LatencyHistogram;
        var expected = (long[])counts.Clone();
        expected[0] = 1;
        Assert.Equal(expected, histogram.Counts);
    }

    [Fact]
    public async Task PerUserState_HoldsTheUsersTotals()
    {
        await RunScript();

        Assert.Equal(new ExperimentUserState(0, "a", Day1.AddHours(10), 3, 2, 2, 15), await Store.GetUserAsync("exp", "u1"));
        Assert.Equal(new ExperimentUserState(0, "b", Day1.AddHours(11), 0, 0, 2, 10), await Store.GetUserAsync("exp", "u2"));
        Assert.Equal(new ExperimentUserState(0, "a", Day1.AddHours(12), 1, 0, 0, 0), await Store.GetUserAsync("exp", "u3"));
    }

    [Fact]
    public async Task NewPhase_EntersUsersAgainAndKeepsItsSumsApart()
    {
        await RunScript();
        var next = Experiment with { Phase = 1 };
        var exposure = new Exposure("r9", "exp", "b", "u1", "r", "primary", [], Day2.AddDays(1));
        await ExposureStore.AppendAsync(exposure);

        await Recorder.RecordExposureAsync(exposure, next.Phase, TimeSpan.FromMilliseconds(5));
        await Event("u1", EventTypes.Purchase, "r1", Day2.AddDays(1).AddHours(1), 50); // an old-phase list: not counted
        await Event("u1", EventTypes.Purchase, "r9", Day2.AddDays(1).AddHours(2), 7);

        var phase1 = Assert.Single(await Store.ListDailyAsync("exp", 1));
        Assert.Equal(("b", 1L, 7d), (phase1.VariantKey, phase1.ExposedUsers, phase1.Revenue));
        Assert.Equal(7d, phase1.CovariateSum); // every event of u1 before its phase-1 exposure: 3 views, 2 clicks, 2 purchases
        Assert.Equal(4, (await Store.ListDailyAsync("exp", 0)).Count);
    }

    [Fact]
    public async Task EventRecordedAgain_IsCountedOnce()
    {
        await Expose("r1", "u1", "a", Day1.AddHours(10));
        var purchase = new InteractionEvent("p1", "u1", "i1", EventTypes.Purchase, 8, "s", "r1", Day1.AddHours(11));

        await Recorder.RecordEventAsync(purchase);
        await Recorder.RecordEventAsync(purchase); // a redelivery or a client retry

        var row = Assert.Single(await Store.ListDailyAsync("exp", 0));
        Assert.Equal((1L, 8d, 64d), (row.Purchases, row.Revenue, row.RevenueSumOfSquares));
        Assert.Equal(1, (await Store.GetUserAsync("exp", "u1"))!.Purchases);
    }

    [Fact]
    public async Task Aggregates_SurviveAReopen()
    {
        await RunScript();
        var before = await Store.ListDailyAsync("exp", 0);
        await Backend.ReopenAsync();

        Assert.Equal(before, await Store.ListDailyAsync("exp", 0));
    }

    /// <summary>
    /// A bandit's users are stamped with the period whose weights bucketed them: their later lists and their outcomes, on
    /// any day, stay in that period's rows, so the rows of one (variant, day) are kept apart by period.
    /// </summary>
    [Fact]
    public async Task Users_AreStampedWithTheirEntryPeriodAndTheirRowsAreKeptApartByPeriod()
    {
        async Task ExposeIn(int period, string id, string user, string variant, DateTimeOffset at)
        {
            var exposure = new Exposure(id, "exp", variant, user, "r", "primary", ["i1"], at);
            await ExposureStore.AppendAsync(exposure);
            await Recorder.RecordExposureAsync(exposure, Experiment.Phase, TimeSpan.FromMilliseconds(10), period);
        }
        await ExposeIn(0, "r1", "u1", "a", Day1.AddHours(1));
        await ExposeIn(1, "r2", "u2", "a", Day1.AddHours(2));
        await ExposeIn(1, "r3", "u3", "b", Day1.AddHours(3));
        await ExposeIn(2, "r4", "u1", "a", Day1.AddHours(4));      // u1 returns in period 2: still a period-0 user
        await Event("u1", EventTypes.Click, "r4", Day2.AddHours(1));
        await Event("u2", EventTypes.Purchase, "r2", Day2.AddHours(2), 12);

        var listed = await Store.ListDailyAsync("exp", 0);
        var rows = listed.ToDictionary(r => (r.VariantKey, r.Day.Day, r.Period));

        Assert.Equal((1L, 2L, 0L), (rows[("a", 2, 0)].ExposedUsers, rows[("a", 2, 0)].Exposures, rows[("a", 2, 0)].Clickers));
        Assert.Equal((1L, 1L), (rows[("a", 2, 1)].ExposedUsers, rows[("a", 2, 1)].Exposures));
        Assert.Equal(1L, rows[("b", 2, 1)].ExposedUsers);
        Assert.Equal((0L, 1L), (rows[("a", 3, 0)].ExposedUsers, rows[("a", 3, 0)].Clickers));
        Assert.Equal((1L, 12d), (rows[("a", 3, 1)].Purchasers, rows[("a", 3, 1)].Revenue));
        Assert.Equal(5, rows.Count);
        var periods = await Task.WhenAll(new[] { "u1", "u2", "u3" }.Select(async u => (await Store.GetUserAsync("exp", u))!.Period));
        Assert.Equal(new[] { 0, 1, 1 }, periods);

        await Backend.ReopenAsync();
        Assert.Equal(1, (await Store.GetUserAsync("exp", "u2"))!.Period);
        Assert.Equal(listed.Select(r => (r.VariantKey, r.Day, r.Period)).Order(), (await Store.ListDailyAsync("exp", 0)).Select(r => (r.VariantKey, r.Day, r.Period)).Order());
    }

    [Fact]
    public async Task Update_ThatReturnsNoChange_WritesNothing()
    {
        await Store.UpdateAsync("exp", "u1", "k1", _ => null);

        Assert.Null(await Store.GetUserAsync("exp", "u1"));
        Assert.Empty(await Store.ListDailyAsync("exp", 0));
    }
}
