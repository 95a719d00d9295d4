using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Domain.Events;

namespace Pipeline.Adapters.Local.Tests.Sqlite;

public sealed class SqliteWriteQueueTests : IDisposable
{
    private readonly TemporaryDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Enqueue_WhenOneWriteFailsAmongConcurrentOnes_FailsOnlyThatCallerAndKeepsTheOthers()
    {
        var store = new SqliteEventStore(_db.Database);
        var writes = Enumerable.Range(0, 200)
            .Select(i => store.AppendAsync([new InteractionEvent($"e{i}", "u", "i", EventTypes.View, null, "s", null, DateTimeOffset.UnixEpoch)]))
            .ToList();
        var failing = _db.Database.Writes.EnqueueAsync<int>((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO events (event_id) VALUES ('broken')";
            return command.ExecuteNonQuery();
        });

        await Assert.ThrowsAsync<SqliteException>(() => failing);
        Assert.All(await Task.WhenAll(writes), inserted => Assert.Single(inserted));
        Assert.Equal(200, await store.CountAsync());
    }

    [Fact]
    public async Task Dispose_CommitsWhatWasQueuedBefore()
    {
        var store = new SqliteEventStore(_db.Database);
        var pending = store.AppendAsync([new InteractionEvent("last", "u", "i", EventTypes.Click, null, "s", null, DateTimeOffset.UnixEpoch)]);

        var reopened = _db.Reopen();

        Assert.Single(await pending);
        Assert.NotNull(await new SqliteEventStore(reopened).GetAsync("last"));
    }
}
