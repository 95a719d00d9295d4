using System.Diagnostics;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks.Probes;

/// <summary>
/// The latency distribution BenchmarkDotNet does not give: times each of many single top-25 requests over a
/// catalogue (default 20,000 items, 100,000 requests after 5,000 warm-up ones, users in turn) and prints
/// p50 / p90 / p99 / p99.9 / max and the bytes allocated per request, for ALS, the graph filter as auto builds it
/// on Gowalla, EASE with history weighting and the category blend on (up to 20,000 items: scoring cost does not
/// depend on B's values, so B is random; a real 20k inverse takes minutes) and a SIMS lookup. Target: p99 ≤ 1 ms, 0 B.
/// <code>dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- latency [--items 20000] [--requests 100000]</code>
/// </summary>
internal static class LatencyProbe
{
    public static int Run(ProbeArguments arguments)
    {
        var itemCount = arguments.Int("items", 20_000);
        var requests = arguments.Int("requests", 100_000);
        var directory = BenchmarkData.Directory(20_000, itemCount, 1_000_000);
        var data = BenchmarkData.Generate(20_000, itemCount, 1_000_000);
        var items = ItemsCsv.Read(Path.Combine(directory, DatasetFiles.Items));
        var matrix = FeedbackMatrix.From(data);
        var users = matrix.UserIds;
        var popularity = Enumerable.Range(0, matrix.ItemCount).Select(matrix.Popularity).ToArray();
        Console.WriteLine($"{matrix.ItemCount} items, {users.Length} users, {data.Count} interactions; {requests} requests each after 5000 warm-up; {Environment.ProcessorCount} cores");

        var als = UserPersonalization.Train(new TrainingData(data), new UserPersonalizationOptions("als", Als: new AlsOptions(Iterations: 3)));
        Report("user-personalization ALS (64 factors)", requests, i => als.Recommend(users[i % users.Length], Destination));

        var graph = UserPersonalization.Train(new TrainingData(data), GowallaGraph.Options);
        Report("user-personalization graph (1,000/row, rank 384 low-pass + sharpening)", requests, i => graph.Recommend(users[i % users.Length], Destination));
        graph = null;

        var n = matrix.ItemCount;
        if ((long)n * n > MaxEaseWeights)
        {
            Console.WriteLine($"user-personalization EASE skipped: B would take {(long)n * n * 4 / (1L << 30)} GiB at {n} items");
            return ReportSims(matrix, requests);
        }
        var random = new Random(1);
        var weights = new float[(long)n * n];
        for (long k = 0; k < weights.LongLength; k++) weights[k] = (float)(random.NextDouble() - 0.5);
        var options = new UserPersonalizationOptions("ease", 100,
            EventTypeWeights: new Dictionary<string, float> { ["click"] = 2, ["purchase"] = 4 }, RecencyHalfLife: 30, CategoryWeight: 1);
        var (histories, historyWeights) = RecencyHistories.Build(data, matrix, options.Weighting);
        var ease = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, histories,
            new EaseScorer(weights, n, 100), options, ItemCreationTimes.Empty, 0, userItemWeights: historyWeights,
            categories: CategoryAffinity.From(matrix.ItemIds, popularity, items));
        Report("user-personalization EASE (weighted, categories)", requests, i => ease.Recommend(users[i % users.Length], Destination));
        weights = null;
        ease = null;
        return ReportSims(matrix, requests);
    }

    /// <summary>B's entries the EASE part fills at most (20,000 items: 1.5 GiB).</summary>
    private const long MaxEaseWeights = 20_000L * 20_000;

    private static int ReportSims(FeedbackMatrix matrix, int requests)
    {
        var sims = Sims.Train(matrix);
        var ids = matrix.ItemIds;
        Report("SIMS lookup", requests, i => sims.Similar(ids[i % ids.Length], 25).Length);
        return 0;
    }

    private static readonly ScoredItem[] Destination = new ScoredItem[25];

    private static void Report(string name, int requests, Func<int, int> request)
    {
        for (var i = 0; i < 5000; i++) request(i);
        var ticks = new long[requests];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            request(i);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(ticks);
        double Micros(double percentile) => ticks[Math.Clamp((int)Math.Ceiling(percentile / 100 * requests) - 1, 0, requests - 1)] * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"{name,-50} p50 {Micros(50),8:F1} µs  p90 {Micros(90),8:F1}  p99 {Micros(99),8:F1}  p99.9 {Micros(99.9),8:F1}  max {Micros(100),9:F1}  alloc {(double)allocated / requests:F1} B/request");
    }
}
