using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Adapters.Local.Sqlite;

namespace Pipeline.Api.Tests.Faults;

/// <summary>
/// The process killed (SIGKILL) while batches of events are being ingested: every event answered 202 must be
/// there after a restart, a retry of everything must store each event exactly once.
/// </summary>
public sealed class EventIngestionKillTests
{
    private const int Clients = 6;
    private const int BatchSize = 100;

    [Fact]
    public async Task KilledMidIngestion_EveryAcknowledgedEventSurvives_AndRetriesStoreEachEventOnce()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-kill-").FullName;
        var database = Path.Combine(folder, "pipeline.db");
        try
        {
            var batches = new ConcurrentBatches();
            await using (var api = await ApiProcess.StartAsync(database))
            {
                using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                var senders = Enumerable.Range(0, Clients).Select(c => SendUntilFailureAsync(http, c, batches)).ToArray();
                // Kill once a good number of batches has been acknowledged, with every sender still mid-stream.
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (batches.AcknowledgedCount < 30 && DateTime.UtcNow < deadline && !senders.All(s => s.IsCompleted))
                {
                    await Task.Delay(5);
                }
                await api.KillAsync();
                await Task.WhenAll(senders);
            }
            Assert.True(batches.AcknowledgedCount >= 30, $"only {batches.AcknowledgedCount} batches were acknowledged before the kill");
            Assert.Equal(Clients, batches.Unacknowledged.Count); // each sender's request in flight was cut short

            await using (var restarted = await ApiProcess.StartAsync(database))
            {
                using var http = new HttpClient { BaseAddress = restarted.BaseAddress };
                // Every acknowledged batch first: all duplicates. Then the ones the kill cut short: stored now, unless they made it before the kill.
                foreach (var batch in batches.Acknowledged)
                {
                    var again = await PostAsync(http, batch);
                    Assert.Equal(BatchSize, again.GetProperty("duplicates").GetInt32());
                }
                foreach (var batch in batches.Unacknowledged)
                {
                    await PostAsync(http, batch);
                }
                await restarted.KillAsync();
            }

            SqliteDatabase.ReleaseAll();
            await using var store = new SqliteDatabase(database);
            var events = new SqliteEventStore(store);
            foreach (var id in batches.Acknowledged.SelectMany(b => b))
            {
                Assert.NotNull(await events.GetAsync(id));
            }
            var everyId = batches.Acknowledged.Concat(batches.Unacknowledged).SelectMany(b => b).ToArray();
            Assert.Equal(everyId.Length, everyId.Distinct().Count());
            Assert.Equal(everyId.Length, await events.CountAsync());
        }
        finally
        {
            SqliteDatabase.ReleaseAll();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task SendUntilFailureAsync(HttpClient http, int client, ConcurrentBatches batches)
    {
        for (var n = 0; ; n++)
        {
            var batch = Enumerable.Range(0, BatchSize).Select(i => $"c{client}-b{n}-e{i}").ToArray();
            try
            {
                await PostAsync(http, batch);
                batches.Acknowledge(batch);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                batches.Cut(batch); // the connection died with the process: no answer, so not acknowledged
                return;
            }
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string[] eventIds)
    {
        var body = new
        {
            events = eventIds.Select(id => new { event_id = id, user_id = "user-" + id[..id.IndexOf('-')], event_type = "view", item_id = "item_00001", session_id = "s" }),
        };
        var response = await http.PostAsJsonAsync("/events", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private sealed class ConcurrentBatches
    {
        private readonly Lock _lock = new();
        private readonly List<string[]> _acknowledged = [];
        private readonly List<string[]> _unacknowledged = [];

        public int AcknowledgedCount { get { lock (_lock) return _acknowledged.Count; } }

        public IReadOnlyList<string[]> Acknowledged { get { lock (_lock) return [.. _acknowledged]; } }

        public IReadOnlyList<string[]> Unacknowledged { get { lock (_lock) return [.. _unacknowledged]; } }

        public void Acknowledge(string[] batch) { lock (_lock) _acknowledged.Add(batch); }

        public void Cut(string[] batch) { lock (_lock) _unacknowledged.Add(batch); }
    }
}
