using System.Text;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Evaluation;

namespace Pipeline.Engine.Tests.Evaluation;

public sealed class HoldoutTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    private static int EligibleUsers(InteractionDataset dataset)
    {
        var byUser = dataset.GroupByUser();
        return Enumerable.Range(0, byUser.UserCount).Count(u => byUser.RowsOf(u).Length >= 2);
    }

    [Fact]
    public void Personalize_HoldsOutTenPercentOfUsers()
    {
        var split = Holdout.Split(data.Interactions, HoldoutStrategy.Personalize);
        Assert.Equal(Math.Round(EligibleUsers(data.Interactions) * 0.1), split.TestUsers.Count);
        Assert.Equal(split.TestUsers.Count, split.TestUsers.Select(u => u.UserId).Distinct().Count());
    }

    [Fact]
    public void Personalize_TargetsAreEachTestUsersNewestTenPercent()
    {
        // u1 has 20 interactions, one per second; its newest two (items 19, 20) are the target.
        var csv = new StringBuilder("USER_ID,ITEM_ID,TIMESTAMP\n");
        for (var i = 20; i >= 1; i--) csv.Append($"u1,item{i},{1000 + i}\n");
        var dataset = InteractionsCsv.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "t.csv");

        var split = Holdout.Split(dataset, HoldoutStrategy.Personalize);

        var user = Assert.Single(split.TestUsers);
        Assert.Equal(new HashSet<string> { "item19", "item20" }, user.TargetItemIds);
        Assert.Equal(18, split.Training.Count);
        Assert.True(split.Training.Timestamps.ToArray().Max() < 1019);
    }

    [Fact]
    public void Time_TestsEveryUserWithTwoInteractionsOnTheirNewest()
    {
        var dataset = InteractionsCsv.Read(new MemoryStream("USER_ID,ITEM_ID,TIMESTAMP\nu1,a,1\nu1,b,2\nu2,c,3\nu3,d,9\nu3,e,4\n"u8.ToArray()), "t.csv");
        var split = Holdout.Split(dataset, HoldoutStrategy.Time);
        Assert.Equal(["u1", "u3"], split.TestUsers.Select(u => u.UserId));
        Assert.Equal(new HashSet<string> { "b" }, split.TestUsers[0].TargetItemIds);
        Assert.Equal(new HashSet<string> { "d" }, split.TestUsers[1].TargetItemIds);
        Assert.Equal(3, split.Training.Count);
    }

    [Fact]
    public void EveryStrategy_KeepsTargetRowsOutOfTraining()
    {
        foreach (var strategy in Enum.GetValues<HoldoutStrategy>())
        {
            var split = Holdout.Split(data.Interactions, strategy, seed: 5);
            var held = split.TestUsers.Sum(u => u.TargetItemIds.Count);
            Assert.True(split.Training.Count < data.Interactions.Count, strategy.ToString());
            Assert.True(held > 0, strategy.ToString());
            Assert.Equal(data.Interactions.ItemIds.Count, split.CatalogItemCount);
        }
    }

    [Theory]
    [InlineData(HoldoutStrategy.Personalize)]
    [InlineData(HoldoutStrategy.Random)]
    public void Split_WithSameSeed_IsIdentical_AndWithAnotherSeedDiffers(HoldoutStrategy strategy)
    {
        static string Describe(HoldoutSplit split) =>
            string.Join(";", split.TestUsers.Select(u => u.UserId + ":" + string.Join(",", u.TargetItemIds.Order(StringComparer.Ordinal))));

        var first = Describe(Holdout.Split(data.Interactions, strategy, seed: 1));
        Assert.Equal(first, Describe(Holdout.Split(data.Interactions, strategy, seed: 1)));
        Assert.NotEqual(first, Describe(Holdout.Split(data.Interactions, strategy, seed: 2)));
    }

    [Fact]
    public void Split_WithFractionOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Holdout.Split(data.Interactions, HoldoutStrategy.Time, fraction: 1.0));
    }
}
