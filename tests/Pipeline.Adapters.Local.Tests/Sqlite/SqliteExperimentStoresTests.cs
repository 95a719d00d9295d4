using Pipeline.Domain.Experiments;
using Pipeline.Stores.Contracts;
using Pipeline.Stores.Contracts.Experiments;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteExperimentStoresTests : ExperimentStoresContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    protected override Task<IStoreBackend> CreateBackendAsync() => Task.FromResult<IStoreBackend>(new SqliteBackend());

    /// <summary>New assignments are answered from memory and written behind: closing the database still stores them.</summary>
    [Fact]
    public async Task AssignmentGetOrAdd_WhenNew_IsStoredOnceTheWriteQueueDrains()
    {
        await Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", "b", At));

        await Backend.ReopenAsync();

        Assert.Equal(new Assignment("default", "u1", "b", At), await Backend.Assignments.GetAsync("default", "u1"));
    }

    [Fact]
    public async Task AssignmentGetOrAdd_AfterRestart_KeepsTheStoredVariantRatherThanTheCachedNothing()
    {
        await Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", "a", At));
        await Backend.ReopenAsync();

        var kept = await Backend.Assignments.GetOrAddAsync(new Assignment("default", "u1", "b", At.AddDays(1)));

        Assert.Equal("a", kept.VariantKey);
    }
}
