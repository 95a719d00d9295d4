using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Evaluation;

public sealed class ValidationNdcgTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    [Theory]
    [InlineData(HoldoutStrategy.Random)]
    [InlineData(HoldoutStrategy.Time)]
    public async Task Of_ForAnEaseModel_EqualsTheOfflineEvaluatorsNdcgAt10(HoldoutStrategy strategy)
    {
        var split = NewItemTargets.Apply(Holdout.Split(data.Interactions, strategy, seed: 9));
        var model = UserPersonalization.Train(new TrainingData(split.Training), new UserPersonalizationOptions("ease", 64,
            EventTypeWeights: new Dictionary<string, float> { ["purchase"] = 4 }, RecencyHalfLife: 30, CategoryWeight: 0));

        var offline = await OfflineEvaluator.EvaluateAsync(model, split);
        var validation = new ValidationNdcg(split).Of(model);

        Assert.True(validation > 0);
        Assert.Equal(offline[MetricNames.NdcgAt10], validation);
    }
}
