using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Benchmarks;

/// <summary>Generated datasets for the benchmarks, written once under the temp folder.</summary>
internal static class BenchmarkData
{
    public static string Directory(int users, int items, int interactions) =>
        Path.Combine(Path.GetTempPath(), $"pipeline-bench-{users}-{items}-{interactions}");

    public static InteractionDataset Generate(int users, int items, int interactions)
    {
        var directory = Directory(users, items, interactions);
        var path = Path.Combine(directory, DatasetFiles.Interactions);
        if (!File.Exists(path)) SyntheticDataGenerator.Generate(new SyntheticDataOptions(users, items, interactions, Seed: 1), directory);
        return InteractionsCsv.Read(path);
    }
}
