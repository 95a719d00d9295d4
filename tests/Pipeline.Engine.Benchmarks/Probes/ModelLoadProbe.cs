using System.Diagnostics;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Models;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks.Probes;

/// <summary>
/// How fast a large catalogue's artifacts load: generates a dataset (default 100,000 items, 50,000 users,
/// 3,000,000 interactions, so that nearly every item has an interaction), trains every catalogue recipe
/// (aws-popularity-count, aws-sims, aws-user-personalization as ALS with one sweep, since load time depends on the
/// sizes, not the values, and as the graph filter Gowalla's auto chose; aws-personalized-ranking, aws-trending-now), saves each
/// artifact, then loads
/// each five times and prints the file size, the best and median load time, the bytes allocated by one load and
/// the managed heap the loaded model keeps. Target: under 1 s at 100k items.
/// <code>dotnet run -c Release --project tests/Pipeline.Engine.Benchmarks -- load [--items 100000] [--users 50000] [--interactions 3000000]</code>
/// </summary>
internal static class ModelLoadProbe
{
    public static int Run(ProbeArguments arguments)
    {
        var itemCount = arguments.Int("items", 100_000);
        var userCount = arguments.Int("users", 50_000);
        var interactions = arguments.Int("interactions", 3_000_000);
        var data = BenchmarkData.Generate(userCount, itemCount, interactions);
        var training = new TrainingData(data);
        Console.WriteLine($"{data.ItemIds.Count} items, {data.UserIds.Count} users, {data.Count} interactions; {Environment.ProcessorCount} cores");
        var directory = Path.Combine(Path.GetTempPath(), $"pipeline-load-probe-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        try
        {
            var models = new (string Name, Func<IRecommendationModel> Train)[]
            {
                ("aws-popularity-count", () => PopularityCount.Train(data)),
                ("aws-sims", () => Sims.Train(data)),
                ("aws-user-personalization (ALS)", () => UserPersonalization.Train(training, new UserPersonalizationOptions("als", Als: new AlsOptions(Iterations: 1)))),
                ("aws-user-personalization (graph)", () => UserPersonalization.Train(training, GowallaGraph.Options)),
                ("aws-personalized-ranking", () => PersonalizedRanking.Train(data)),
                ("aws-trending-now", () => TrendingNow.Train(data)),
            };
            foreach (var (name, train) in models)
            {
                var path = Path.Combine(directory, name.Split(' ')[0] + ".model");
                ModelArtifact.Create(train(), data.Fingerprint(), DateTimeOffset.UtcNow).Save(path);
                Measure(name, path);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return 0;
    }

    // Held in a field so the collector cannot free the model before its retained size is read.
    private static ModelArtifact? s_loaded;

    private static void Measure(string name, string path)
    {
        var times = new double[5];
        long allocated = 0, retained = 0;
        for (var run = 0; run < times.Length; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var start = Stopwatch.GetTimestamp();
            s_loaded = ModelArtifact.Load(path);
            times[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            s_loaded = null;
        }
        Array.Sort(times);
        Console.WriteLine($"{name,-32} file {new FileInfo(path).Length / 1048576.0,7:F1} MiB  load best {times[0],7:F1} ms  median {times[2],7:F1} ms  " +
            $"allocated {allocated / 1048576.0,7:F1} MiB  retained {retained / 1048576.0,7:F1} MiB");
    }
}
