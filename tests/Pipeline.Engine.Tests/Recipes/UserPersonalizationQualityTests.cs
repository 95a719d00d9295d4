using Pipeline.Engine.Datasets;
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

    [Fact]
    public async Task UserPersonalization_OnGeneratedDataWithItems_BeatsPlainTunedEase()
    {
        // Every user's newest 10% (2,000 test users rather than Personalize's 200, so the comparison is not noise).
        var split = NewItemTargets.Apply(Holdout.Split(data.Interactions, HoldoutStrategy.Time, seed: 5));
        var items = ItemsCsv.Read(data.Summary.ItemsPath);
        var none = new Dictionary<string, string>();
        var ease = await OfflineEvaluator.EvaluateAsync(EvaluationTrainer.Train(EvaluationTrainer.EaseName, split.Training, none), split);
        var model = (UserPersonalizationModel)EvaluationTrainer.Train("aws-user-personalization", split.Training, none, items: items);
        var personalized = await OfflineEvaluator.EvaluateAsync(model, split);

        var up = personalized[MetricNames.NdcgAt10];
        var plain = ease[MetricNames.NdcgAt10];
        output.WriteLine($"NDCG@10 user-personalization {up:F4} ({string.Join(", ", model.Options.ToHyperParameters().Select(p => $"{p.Key}={p.Value}"))}) plain EASE {plain:F4}");
        Assert.True(up > plain, $"NDCG@10 user-personalization {up:F4} vs plain tuned EASE {plain:F4}");
    }
}
