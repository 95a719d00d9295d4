using Pipeline.Adapters.Local.Sqlite;
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

    /// <summary>Stores hold every row in memory for the whole file, so a second instance on it must not answer "none".</summary>
    [Fact]
    public async Task AssignmentGet_FromASecondStoreOnTheSameFile_SeesTheFirstStoresAssignment()
    {
        var database = ((SqliteBackend)Backend).Database;
        var first = new SqliteAssignmentStore(database);
        var second = new SqliteAssignmentStore(database);
        Assert.Null(await second.GetAsync("default", "u7"));

        await first.GetOrAddAsync(new Assignment("default", "u7", "b", At));

        Assert.Equal("b", (await second.GetAsync("default", "u7"))?.VariantKey);
    }
}
