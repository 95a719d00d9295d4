using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Randomness;
using Pipeline.Engine.Recipes;
using Xunit.Abstractions;

namespace Pipeline.Engine.Tests.Recipes;

/// <summary>The generated data must carry signal: the simplest recipe has to beat ranking at random by a wide margin.</summary>
public sealed class PopularityCountSignalTests(GeneratedDataset data, ITestOutputHelper output) : IClassFixture<GeneratedDataset>
{
    [Theory]
    [InlineData(HoldoutStrategy.Personalize)]
    [InlineData(HoldoutStrategy.Time)]
    public async Task PopularityCount_OnGeneratedData_BeatsRandomRankingClearly(HoldoutStrategy strategy)
    {
        var split = Holdout.Split(data.Interactions, strategy, seed: 3);
        var popularity = await OfflineEvaluator.EvaluateAsync(PopularityCount.Train(split.Training), split);
        var random = await OfflineEvaluator.EvaluateAsync(new RandomRanking(data.Interactions.ItemIds, seed: 11), split);

        var popularityNdcg = popularity[MetricNames.NdcgAt10];
        var randomNdcg = random[MetricNames.NdcgAt10];
        output.WriteLine($"{strategy}: NDCG@10 popularity {popularityNdcg:F4} random {randomNdcg:F4}; precision@10 popularity {popularity[MetricNames.PrecisionAt10]:F4} random {random[MetricNames.PrecisionAt10]:F4}");
        Assert.True(popularityNdcg > 3 * randomNdcg && popularityNdcg - randomNdcg > 0.02,
            $"NDCG@10 popularity {popularityNdcg:F4} vs random {randomNdcg:F4}");
        Assert.True(popularity[MetricNames.PrecisionAt10] > 3 * random[MetricNames.PrecisionAt10]);
    }

    /// <summary>The baseline: a fresh seeded shuffle of the catalogue for every query.</summary>
    private sealed class RandomRanking(IReadOnlyList<string> items, int seed) : IRecommendationModel
    {
        private DeterministicRandom _rng = DeterministicRandom.ForStream(seed, stream: 0);

        public string Recipe => "random";

        public ValueTask<IReadOnlyList<ScoredItem>> RecommendAsync(ModelQuery query, CancellationToken cancellationToken = default)
        {
            var shuffled = items.ToArray();
            _rng.Shuffle(shuffled.AsSpan());
            return ValueTask.FromResult<IReadOnlyList<ScoredItem>>([.. shuffled.Take(query.NumResults).Select(id => new ScoredItem(id, 0))]);
        }
    }
}
