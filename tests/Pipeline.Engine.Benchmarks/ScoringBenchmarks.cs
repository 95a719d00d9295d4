using BenchmarkDotNet.Attributes;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Benchmarks;

/// <summary>
/// Top-25 for one user over a 20,000-item catalogue, for both scorers (EASE forced at 20k items to measure its
/// scoring cost even though auto would pick ALS there), and a SIMS lookup. Target: p99 ≤ 1 ms, SIMS ≤ 50 µs, 0 B.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private readonly ScoredItem[] _destination = new ScoredItem[25];
    private UserPersonalizationModel _als = null!;
    private UserPersonalizationModel _ease = null!;
    private SimsModel _sims = null!;
    private string[] _users = null!;
    private string[] _items = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchmarkData.Generate(20_000, 20_000, 1_000_000);
        var matrix = FeedbackMatrix.From(data);
        _users = matrix.UserIds;
        _items = matrix.ItemIds;
        _als = UserPersonalization.Train(new TrainingData(data), new UserPersonalizationOptions("als", Als: new AlsOptions(Iterations: 3)));
        // Random B of the right shape: scoring cost does not depend on the values, and a real 20k inverse takes minutes.
        var random = new Random(1);
        var n = matrix.ItemCount;
        var weights = new float[(long)n * n];
        for (long k = 0; k < weights.LongLength; k++) weights[k] = (float)(random.NextDouble() - 0.5);
        var popularity = Enumerable.Range(0, n).Select(matrix.Popularity).ToArray();
        _ease = new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds, matrix.UserOffsets, matrix.UserItems,
            new EaseScorer(weights, n, 100), new UserPersonalizationOptions("ease", 100), ItemCreationTimes.Empty, 0);
        _sims = Sims.Train(matrix);
    }

    [Benchmark]
    public int TopItemsAls() => _als.Recommend(_users[_next++ % _users.Length], _destination);

    [Benchmark]
    public int TopItemsEase() => _ease.Recommend(_users[_next++ % _users.Length], _destination);

    [Benchmark]
    public int SimsLookup() => _sims.Similar(_items[_next++ % _items.Length], 25).Length;
}
