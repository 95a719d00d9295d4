using Pipeline.Engine.Randomness;

namespace Pipeline.Cli.Simulation;

/// <summary>
/// Drives the API with shoppers: request k starts at k / rps seconds, asks recommendations for a user drawn from the
/// first <c>--users</c> shoppers, decides with the position-bias model and posts the events with the list's
/// recommendation id. Who asks and the draws behind each decision depend only on the seed; what the server answers
/// may vary with timing (assignments are sticky, but models learn from the events as they arrive).
/// </summary>
public sealed class TrafficSimulator(SimulationOptions options, IShopperTruth truth, ShopperApiClient api, TimeProvider time)
{
    /// <summary>Requests in flight at once; beyond it the run slows down rather than piling up connections.</summary>
    public const int MaxConcurrency = 32;

    /// <summary>The user of request <paramref name="request"/>: a uniform draw from the first <c>--users</c> shoppers.</summary>
    public string UserOf(int request)
    {
        var rng = DeterministicRandom.ForStream(options.Seed, stream: 18, substream: (ulong)request);
        return truth.Users[rng.NextInt(Math.Min(options.Users, truth.Users.Count))];
    }

    public async Task<SimulationSummary> RunAsync(Action<int>? progress, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, VariantTally>(StringComparer.Ordinal);
        long failed = 0, events = 0, done = 0;
        var gate = new object();
        using var slots = new SemaphoreSlim(MaxConcurrency);
        var started = time.GetTimestamp();
        var running = new List<Task>(options.TotalRequests);
        for (var k = 0; k < options.TotalRequests; k++)
        {
            var due = TimeSpan.FromSeconds(k / (double)options.RequestsPerSecond) - time.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due, time, cancellationToken);
            await slots.WaitAsync(cancellationToken);
            var request = k;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    var (variant, decision, posted) = await ShopAsync(request, cancellationToken);
                    lock (gate)
                    {
                        var key = variant ?? "(no experiment)";
                        if (!tallies.TryGetValue(key, out var tally)) tallies[key] = tally = new VariantTally(key);
                        tally.Add(UserOf(request), decision);
                        events += posted;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    slots.Release();
                    progress?.Invoke((int)Interlocked.Increment(ref done));
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running);
        return new SimulationSummary(options.TotalRequests, failed, events,
            [.. tallies.Values.OrderBy(t => t.Variant, StringComparer.Ordinal)], time.GetElapsedTime(started));
    }

    private async Task<(string? Variant, ShopperDecision Decision, int Posted)> ShopAsync(int request, CancellationToken cancellationToken)
    {
        var user = UserOf(request);
        var list = await api.RecommendAsync(user, options.NumResults, cancellationToken);
        var decision = ShopperDecision.Make(truth, user, list.Items, options.Seed, request);
        var posted = await api.PostEventsAsync(user, $"sim-{options.Seed}-{user}", list, decision, cancellationToken);
        return (list.Variant, decision, posted);
    }
}
