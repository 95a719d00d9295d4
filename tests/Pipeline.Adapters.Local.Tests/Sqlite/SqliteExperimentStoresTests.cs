using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteExperimentStoresTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task ExperimentUpsert_ThenGet_RoundTripsVariants()
    {
        var store = new SqliteExperimentStore(_db.Database);
        var experiment = new Experiment("default", ExperimentStatus.Running,
            [new Variant("a", 0.25, "aws-sims"), new Variant("b", 0.75, "aws-popularity-count")], 0.9, "seed", Created);

        await store.UpsertAsync(experiment);
        var stored = await store.GetAsync("default");

        Assert.NotNull(stored);
        Assert.Equal(experiment.Variants, stored.Variants);
        Assert.Equal(experiment.Guardrails, stored.Guardrails);
        Assert.Equal(experiment with { Variants = stored.Variants, Guardrails = stored.Guardrails }, stored);
        Assert.Single(await store.ListAsync());
    }

    [Fact]
    public async Task AssignmentGetOrAdd_WhenUserAlreadyAssigned_KeepsTheFirstVariant()
    {
        var store = new SqliteAssignmentStore(_db.Database);
        await store.GetOrAddAsync(new Assignment("default", "u1", "a", Created));

        var kept = await store.GetOrAddAsync(new Assignment("default", "u1", "b", Created.AddDays(1)));

        Assert.Equal(new Assignment("default", "u1", "a", Created), kept);
    }

    [Fact]
    public async Task ExposureAppend_ThenGet_ReturnsServedItemsInOrder()
    {
        var store = new SqliteExposureStore(_db.Database);
        var exposure = new Exposure("r1", "default", "a", "u1", "aws-sims", "primary", ["i3", "i1", "i2"], Created);

        await store.AppendAsync(exposure);
        var stored = await store.GetAsync("r1");

        Assert.NotNull(stored);
        Assert.Equal(exposure.ItemIds, stored.ItemIds);
        Assert.Equal(exposure with { ItemIds = stored.ItemIds }, stored);
    }
}
