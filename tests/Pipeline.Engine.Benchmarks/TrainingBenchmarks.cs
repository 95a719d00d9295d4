using BenchmarkDotNet.Attributes;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks;

/// <summary>Training on 25,000 interactions (1,000 users, 1,000 items): target under 1 s.</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private InteractionDataset _data = null!;

    [GlobalSetup]
    public void Setup() => _data = BenchmarkData.Generate(1_000, 1_000, 25_000);

    [Benchmark]
    public object UserPersonalizationAutoLambda() => UserPersonalization.Train(new TrainingData(_data));

    [Benchmark]
    public object UserPersonalizationFixedLambda() => UserPersonalization.Train(new TrainingData(_data), new UserPersonalizationOptions(Lambda: 128));

    [Benchmark]
    public object SimsTraining() => Sims.Train(_data);
}
