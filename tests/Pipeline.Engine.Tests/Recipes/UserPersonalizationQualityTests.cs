using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;
using Xunit.Abstractions;

namespace Pipeline.Engine.Tests.Recipes;

/// <summary>On generated data user-personalization must find the items users go on to discover far better than popularity.</summary>
public sealed class UserPersonalizationQualityTests(GeneratedDataset data, ITestOutputHelper output) : IClassFixture<GeneratedDataset>
{
    [Fact]
    public async Task UserPersonalization_OnGeneratedData_BeatsPopularityClearlyOnNdcgAt10()
    {
        var split = NewItemTargets.Apply(Holdout.Split(data.Interactions, HoldoutStrategy.Personalize, seed: 3));
        var popularity = await OfflineEvaluator.EvaluateAsync(PopularityCount.Train(split.Training), split);
        var model = UserPersonalization.Train(new TrainingData(split.Training));
        var personalized = await OfflineEvaluator.EvaluateAsync(model, split);

        var up = personalized[MetricNames.NdcgAt10];
        var pop = popularity[MetricNames.NdcgAt10];
        output.WriteLine($"NDCG@10 user-personalization {up:F4} (λ {model.Options.Lambda}) popularity {pop:F4}");
        Assert.True(up > 1.5 * pop && up - pop > 0.03, $"NDCG@10 user-personalization {up:F4} vs popularity {pop:F4}");
    }
}
