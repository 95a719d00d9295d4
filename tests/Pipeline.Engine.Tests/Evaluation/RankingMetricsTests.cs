using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    private static readonly string[] Ranked = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];

    [Fact]
    public void ForUser_PersonalizeWorkedExample_RelevantAtRanksTwoAndFive()
    {
        var metrics = RankingMetrics.ForUser(Ranked, new HashSet<string> { "b", "e" });
        Assert.Equal(0.5, metrics.ReciprocalRankAt25);
        Assert.Equal(0.6241, Math.Round(metrics.NdcgAt5, 4));
        Assert.Equal(0.4, metrics.PrecisionAt5);
    }

    [Fact]
    public void ForUser_NoRelevantItemRecommended_IsAllZeros()
    {
        Assert.Equal(default, RankingMetrics.ForUser(Ranked, new HashSet<string> { "z" }));
    }

    [Fact]
    public void ForUser_PerfectRanking_HasNdcgOne()
    {
        var metrics = RankingMetrics.ForUser(Ranked, new HashSet<string> { "a", "b" });
        Assert.Equal(1.0, metrics.NdcgAt5, 12);
        Assert.Equal(1.0, metrics.RecallAt20);
        Assert.Equal(0.2, metrics.PrecisionAt10);
    }

    [Fact]
    public void Recall_CountsHitsWithinTheCutOffOverAllRelevantItems()
    {
        var relevant = new HashSet<string> { "c", "j", "y", "z" };
        Assert.Equal(0.5, RankingMetrics.Recall(Ranked, relevant, 20));
        Assert.Equal(0.25, RankingMetrics.Recall(Ranked, relevant, 5));
    }

    [Fact]
    public void Precision_DividesByTheCutOffEvenWhenFewerItemsAreRecommended()
    {
        Assert.Equal(2.0 / 25, RankingMetrics.Precision(Ranked, new HashSet<string> { "a", "b" }, 25));
    }

    [Fact]
    public void Aggregate_AveragesUsersUnderGetSolutionMetricsNames()
    {
        var first = RankingMetrics.ForUser(Ranked, new HashSet<string> { "a" });
        var second = RankingMetrics.ForUser(Ranked, new HashSet<string> { "z" });
        var metrics = RankingMetrics.Aggregate([first, second], coverage: 0.25);
        Assert.Equal(
            ["coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
             "normalized_discounted_cumulative_gain_at_5", "precision_at_10", "precision_at_25", "precision_at_5", "recall_at_20"],
            metrics.Keys);
        Assert.Equal(0.5, metrics[MetricNames.MeanReciprocalRankAt25]);
        Assert.Equal(0.1, metrics[MetricNames.PrecisionAt5]);
        Assert.Equal(0.25, metrics[MetricNames.Coverage]);
    }
}
