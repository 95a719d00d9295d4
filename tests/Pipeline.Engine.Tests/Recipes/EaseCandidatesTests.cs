using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class EaseCandidatesTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    [Fact]
    public void Train_ForSeveralLambdasInTurn_EqualsAFreshEaseTrainEachTime()
    {
        var matrix = FeedbackMatrix.From(Holdout.Split(data.Interactions, HoldoutStrategy.Random, seed: 1).Training);
        var candidates = new EaseCandidates(matrix);

        foreach (var lambda in new[] { 512.0, 8, 128 })
        {
            var reused = candidates.Train(lambda);
            var fresh = Ease.Train(matrix, lambda);
            // The same arithmetic on the same inputs: a buffer left dirty by the previous λ would show here.
            Assert.Equal(fresh, reused);
        }
    }
}
