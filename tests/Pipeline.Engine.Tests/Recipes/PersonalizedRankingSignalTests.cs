using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;
using Xunit.Abstractions;

namespace Pipeline.Engine.Tests.Recipes;

/// <summary>Co-occurrence has to carry the generated data's signal beyond what popularity finds.</summary>
public sealed class PersonalizedRankingSignalTests(GeneratedDataset data, ITestOutputHelper output) : IClassFixture<GeneratedDataset>
{
    [Fact]
    public async Task PersonalizedRanking_OnGeneratedData_BeatsPopularity()
    {
        var split = Holdout.Split(data.Interactions, HoldoutStrategy.Personalize, seed: 3);
        var ranking = await OfflineEvaluator.EvaluateAsync(PersonalizedRanking.Train(split.Training), split);
        var popularity = await OfflineEvaluator.EvaluateAsync(PopularityCount.Train(split.Training), split);
        output.WriteLine($"NDCG@10 ranking {ranking[MetricNames.NdcgAt10]:F4} popularity {popularity[MetricNames.NdcgAt10]:F4}");
        Assert.True(ranking[MetricNames.NdcgAt10] > popularity[MetricNames.NdcgAt10],
            $"NDCG@10 ranking {ranking[MetricNames.NdcgAt10]:F4} vs popularity {popularity[MetricNames.NdcgAt10]:F4}");
    }
}
