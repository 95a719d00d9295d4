using Pipeline.Engine.Evaluation;
using Pipeline.Engine.Recipes;

namespace Pipeline.Engine.Tests.Recipes;

public sealed class EaseTuningTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Walk_WhenScoresHaveOnePeak_FindsIt(int peak)
    {
        double[] grid = [2, 8, 32, 128, 512, 2048];
        var scored = new List<double>();

        var best = EaseTuning.Walk(grid, start: 3, value =>
        {
            scored.Add(value);
            return -Math.Abs(Array.IndexOf(grid, value) - peak);
        });

        Assert.Equal(grid[peak], best);
        Assert.Equal(scored.Count, scored.Distinct().Count());
    }

    [Fact]
    public void Walk_WhenThePeakIsAtTheStart_ScoresOnlyItsNeighbours()
    {
        double[] grid = [2, 8, 32, 128, 512, 2048];
        var scored = new List<double>();

        var best = EaseTuning.Walk(grid, start: 3, value => { scored.Add(value); return value == 128 ? 1 : 0; });

        Assert.Equal(128, best);
        Assert.Equal([128.0, 32, 512], scored);
    }

    [Fact]
    public void SelectLambda_OnGeneratedData_PicksWhatTheFullGridSweepPicks()
    {
        var training = Holdout.Split(data.Interactions, HoldoutStrategy.Personalize, seed: 2).Training;

        var walked = EaseTuning.SelectLambda(training);

        // The sweep it replaced: every coarse value, then the best one's ×½ and ×2, each scored on the same split.
        var split = NewItemTargets.Apply(Holdout.Split(training, HoldoutStrategy.Random, seed: 17));
        var matrix = FeedbackMatrix.From(split.Training);
        var popularity = Enumerable.Range(0, matrix.ItemCount).Select(matrix.Popularity).ToArray();
        var validation = new ValidationNdcg(split);
        double Score(double lambda) => validation.Of(new UserPersonalizationModel(matrix.ItemIds, popularity, matrix.UserIds,
            matrix.UserOffsets, matrix.UserItems, new EaseScorer(Ease.Train(matrix, lambda), matrix.ItemCount, lambda),
            new UserPersonalizationOptions("ease", lambda), ItemCreationTimes.Empty, 0));
        var coarse = EaseTuning.CoarseGrid.MaxBy(Score);
        var swept = new[] { coarse / 2, coarse, coarse * 2 }.MaxBy(Score);

        Assert.Equal(swept, walked.Lambda);
        Assert.True(walked.NdcgByLambda.Count < EaseTuning.CoarseGrid.Length + 2, $"tried {walked.NdcgByLambda.Count} values");
    }
}
