using Pipeline.Domain.Experiments;
using Pipeline.Domain.Experiments.Bandits;

namespace Pipeline.Stores.Contracts.Experiments;

public abstract class ExperimentStoresContract : StoreContract
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static Experiment Sample(string key = "default") => new(key, ExperimentStatus.Running,
        [new Variant("a", 0.25, "aws-sims"), new Variant("b", 0.75, "aws-popularity-count")], 0.9, "seed", Created);

    /// <summary>
    /// Whether the backend checks a condition and writes atomically under truly concurrent requests. DynamoDB does;
    /// moto_server, its stand-in here, does not, so on it the contenders of the racing cases go one after another,
    /// all from the same stale read, which still tests the conditions the store writes rather than moto's locking.
    /// </summary>
    protected virtual bool ConditionalWritesAtomicUnderConcurrency => true;

    private async Task<T[]> ContendAsync<T>(int count, Func<int, Task<T>> contender)
    {
        if (ConditionalWritesAtomicUnderConcurrency)
        {
            return await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => contender(i))));
        }
        var results = new T[count];
        for (var i = 0; i < count; i++)
        {
            results[i] = await contender(i);
        }
        return results;
    }

    [Fact]
    public async Task ExperimentUpsert_ThenGet_RoundTripsVariants()
    {
        var experiment = Sample();

        await Backend.Experiments.UpsertAsync(experiment);
        var stored = await Backend.Experiments.GetAsync("default");

        Assert.NotNull(stored);
        Assert.Equal(experiment.Variants, stored.Variants);
        Assert.Equal(experiment.Guardrails, stored.Guardrails);
        Assert.Equal(experiment with { Variants = stored.Variants, Guardrails = stored.Guardrails, WeightHistory = stored.WeightHistory }, stored);
        Assert.Single(await Backend.Experiments.ListAsync());
    }

    [Fact]
    public async Task ExperimentUpsert_RoundTripsNamespaceAndHashVersion()
    {
        var experiment = Sample() with { Namespace = new ExperimentNamespace("homepage", 0.1, 0.6), HashVersion = 1, Status = ExperimentStatus.Draft };

        await Backend.Experiments.UpsertAsync(experiment);
        var stored = await Backend.Experiments.GetAsync("default");

        Assert.Equal(experiment.Guardrails, stored!.Guardrails);
        Assert.Equal(experiment with { Variants = stored.Variants, Guardrails = stored.Guardrails, WeightHistory = stored.WeightHistory }, stored);
    }

    [Fact]
    public async Task ExperimentUpsert_RoundTripsVariantCampaignAndConfig()
    {
        const string campaign = "arn:aws:personalize:us-east-1:000000000000:campaign/pipeline-sims";
        var experiment = Sample() with
        {
            Variants =
            [
                new Variant("a", 0.25, "aws-sims", campaign, new Dictionary<string, string> { ["filter"] = "recent" }),
                new Variant("b", 0.75, "aws-popularity-count"),
            ],
        };

        await Backend.Experiments.UpsertAsync(experiment);
        var stored = (await Backend.Experiments.GetAsync("default"))!;

        Assert.Equal(campaign, stored.Variants[0].Campaign);
        Assert.Equal(new Dictionary<string, string> { ["filter"] = "recent" }, stored.Variants[0].Config);
        Assert.Null(stored.Variants[1].Campaign);
        Assert.Null(stored.Variants[1].Config);
        Assert.Equal(campaign, (await Backend.Experiments.ListAsync()).Single().Variants[0].Campaign);
    }

    [Fact]
    public async Task ExperimentUpsert_RoundTripsLifecycleAndAnalysisSettings()
    {
        var experiment = Sample() with
        {
            Phase = 3,
            StartedAt = Created.AddDays(1),
            StoppedAt = Created.AddDays(2).AddMilliseconds(250),
            WeightsChangedAt = Created.AddHours(30),
            PrimaryMetric = ExperimentMetrics.RevenuePerUser,
            Guardrails = [GuardrailMetrics.All[0]],
            MinimumDetectableEffect = 0.02,
            Holdout = 0.1,
            HashAttribute = "device_id",
        };

        await Backend.Experiments.UpsertAsync(experiment);
        var stored = (await Backend.Experiments.GetAsync("default"))!;

        Assert.Equal(experiment.Guardrails, stored.Guardrails);
        Assert.Equal(experiment with { Variants = stored.Variants, Guardrails = stored.Guardrails, WeightHistory = stored.WeightHistory }, stored);
    }

    private static Experiment Bandit() => Sample() with
    {
        Allocation = ExperimentAllocation.Bandit,
        Bandit = new BanditSettings(TimeSpan.FromSeconds(2.5), 0.05, TimeSpan.FromMinutes(1)),
        StartedAt = Created,
        WeightHistory =
        [
            new BanditPeriod(0, Created, [0.5, 0.5], [BanditArmTotals.Zero, BanditArmTotals.Zero]),
            new BanditPeriod(1, Created.AddMinutes(1), [0.1, 0.9], [new BanditArmTotals(40, 9, 9), new BanditArmTotals(41, 17.5, 30.25)]),
        ],
    };

    [Fact]
    public async Task ExperimentUpsert_RoundTripsBanditSettingsAndWeightHistory()
    {
        var experiment = Bandit();

        await Backend.Experiments.UpsertAsync(experiment);
        var stored = (await Backend.Experiments.GetAsync("default"))!;

        Assert.Equal(ExperimentAllocation.Bandit, stored.Allocation);
        Assert.Equal(experiment.Bandit, stored.Bandit);
        Assert.Equal(2, stored.WeightHistory.Count);
        for (var p = 0; p < 2; p++)
        {
            Assert.Equal(experiment.WeightHistory[p].Number, stored.WeightHistory[p].Number);
            Assert.Equal(experiment.WeightHistory[p].StartedAt, stored.WeightHistory[p].StartedAt);
            Assert.Equal(experiment.WeightHistory[p].Weights, stored.WeightHistory[p].Weights);
            Assert.Equal(experiment.WeightHistory[p].TotalsAtStart, stored.WeightHistory[p].TotalsAtStart);
        }
        var fixedOne = (await Backend.Experiments.GetAsync((await UpsertFixedAsync()).Key))!;
        Assert.Equal(ExperimentAllocation.Fixed, fixedOne.Allocation);
        Assert.Null(fixedOne.Bandit);
        Assert.Empty(fixedOne.WeightHistory);
    }

    [Fact]
    public async Task ExperimentReplace_OfABanditWhoseHistoryGrewSinceRead_WritesNothing()
    {
        await Backend.Experiments.UpsertAsync(Bandit());
        var read = (await Backend.Experiments.GetAsync("default"))!;
        var period = new BanditPeriod(2, Created.AddMinutes(2), [0.05, 0.95], [new BanditArmTotals(50, 10, 10), new BanditArmTotals(90, 40, 70)]);
        Assert.True(await Backend.Experiments.ReplaceAsync(read, read with { WeightHistory = [.. read.WeightHistory, period] }));

        var replaced = await Backend.Experiments.ReplaceAsync(read, read with { WeightHistory = [.. read.WeightHistory, period with { Weights = [0.5, 0.5] }] });

        Assert.False(replaced);
        Assert.Equal([0.05, 0.95], (await Backend.Experiments.GetAsync("default"))!.WeightHistory[^1].Weights);
    }

    private async Task<Experiment> UpsertFixedAsync()
    {
        var experiment = Sample("fixed-one");
        await Backend.Experiments.UpsertAsync(experiment);
        return experiment;
    }

    [Fact]
    public async Task ExperimentCreate_WhenRacingOnOneKey_ExactlyOneWritesAndItStays()
    {
        var contenders = Enumerable.Range(0, 12).Select(i => Sample() with { Seed = $"seed-{i}" }).ToArray();

        var created = await ContendAsync(contenders.Length, i => Backend.Experiments.CreateAsync(contenders[i]));

        Assert.Equal(1, created.Count(c => c));
        var winner = contenders[Array.IndexOf(created, true)];
        Assert.Equal(winner.Seed, (await Backend.Experiments.GetAsync("default"))!.Seed);
    }

    [Fact]
    public async Task ExperimentReplace_WhenRacingFromOneState_ExactlyOneApplies()
    {
        await Backend.Experiments.UpsertAsync(Sample());
        var current = (await Backend.Experiments.GetAsync("default"))!;

        var replaced = await ContendAsync(8, i =>
            Backend.Experiments.ReplaceAsync(current, current with { Phase = current.Phase + 1, Seed = $"seed-{i}" }));

        Assert.Equal(1, replaced.Count(r => r));
        var stored = (await Backend.Experiments.GetAsync("default"))!;
        Assert.Equal(1, stored.Phase);
        Assert.Equal($"seed-{Array.IndexOf(replaced, true)}", stored.Seed);
    }

    [Fact]
    public async Task ExperimentReplace_WhenChangedSinceRead_WritesNothing()
    {
        await Backend.Experiments.UpsertAsync(Sample());
        var read = (await Backend.Experiments.GetAsync("default"))!;
        var meanwhile = read with { Variants = [read.Variants[0] with { Campaign = "arn:aws:personalize:us-east-1:000000000000:campaign/c" }, read.Variants[1]] };
        await Backend.Experiments.UpsertAsync(meanwhile);

        var replaced = await Backend.Experiments.ReplaceAsync(read, read with { Status = ExperimentStatus.Stopped });

        Assert.False(replaced);
        var stored = (await Backend.Experiments.GetAsync("default"))!;
        Assert.Equal(ExperimentStatus.Running, stored.Status);
        Assert.Equal(meanwhile.Variants[0].Campaign, stored.Variants[0].Campaign);
    }

    [Fact]
    public async Task ExperimentReplace_WhenUnchangedSinceRead_Writes()
    {
        await Backend.Experiments.UpsertAsync(Sample() with { StartedAt = Created.AddTicks(12_345) });
        var read = (await Backend.Experiments.GetAsync("default"))!;

        Assert.True(await Backend.Experiments.ReplaceAsync(read, read with { Status = ExperimentStatus.Stopped, StoppedAt = Created.AddDays(1) }));
        Assert.Equal(ExperimentStatus.Stopped, (await Backend.Experiments.GetAsync("default"))!.Status);
    }

    [Fact]
    public async Task ExperimentReplace_WhenUnknown_WritesNothing()
    {
        Assert.False(await Backend.Experiments.ReplaceAsync(Sample(), Sample() with { Phase = 1 }));
        Assert.Null(await Backend.Experiments.GetAsync("default"));
    }

    [Fact]
    public async Task ExperimentUpsert_WhenKeyExists_ReplacesTheExperiment()
    {
        await Backend.Experiments.UpsertAsync(Sample());

        await Backend.Experiments.UpsertAsync(Sample() with { Status = ExperimentStatus.Stopped });

        Assert.Equal(ExperimentStatus.Stopped, (await Backend.Experiments.GetAsync("default"))!.Status);
        Assert.Single(await Backend.Experiments.ListAsync());
    }

    [Fact]
    public async Task ExperimentList_ReturnsEveryExperimentOrderedByKey()
    {
        foreach (var key in new[] { "b", "c", "a" })
        {
            await Backend.Experiments.UpsertAsync(Sample(key));
        }

        var listed = await Backend.Experiments.ListAsync();

        Assert.Equal(["a", "b", "c"], listed.Select(e => e.Key));
    }

    [Fact]
    public async Task ExperimentGet_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await Backend.Experiments.GetAsync("missing"));
    }

    [Fact]
    public async Task AssignmentGetOrAdd_WhenUserAlreadyAssigned_KeepsTheFirstVariant()
    {
        await Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", "a", Created));

        var kept = await Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", "b", Created.AddDays(1)));

        Assert.Equal(new Assignment("default", "u1", "a", Created), kept);
    }

    [Fact]
    public async Task AssignmentGetOrAdd_WhenNew_StoresAndReturnsIt()
    {
        var assignment = new Assignment("default", "u1", "b", Created);

        Assert.Equal(assignment, await Backend.Assignments.GetOrAddAsync(assignment));

        Assert.Equal(assignment, await Backend.Assignments.GetAsync("default", "u1"));
        Assert.Null(await Backend.Assignments.GetAsync("default", "u2"));
        Assert.Null(await Backend.Assignments.GetAsync("other", "u1"));
    }

    [Fact]
    public async Task AssignmentGetOrAdd_WhenRacing_EveryCallerGetsTheSameVariant()
    {
        var results = await ContendAsync(8, i => Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", $"v{i}", Created)));

        Assert.Single(results.Select(r => r.VariantKey).Distinct());
        Assert.Equal(results[0], await Backend.Assignments.GetAsync("default", "u1"));
    }

    [Fact]
    public async Task ExposureAppend_ThenGet_ReturnsServedItemsInOrder()
    {
        var exposure = new Exposure("r1", "default", "a", "u1", "aws-sims", "primary", ["i3", "i1", "i2"], Created);

        await Backend.Exposures.AppendAsync(exposure);
        var stored = await Backend.Exposures.GetAsync("r1");

        Assert.NotNull(stored);
        Assert.Equal(exposure.ItemIds, stored.ItemIds);
        Assert.Equal(exposure with { ItemIds = stored.ItemIds }, stored);
    }

    [Fact]
    public async Task ExposureGet_WhenUnknown_ReturnsNull()
    {
        Assert.Null(await Backend.Exposures.GetAsync("missing"));
    }
}
