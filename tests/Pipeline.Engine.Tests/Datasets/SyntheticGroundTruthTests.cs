using Pipeline.Engine.Datasets;

namespace Pipeline.Engine.Tests.Datasets;

public sealed class SyntheticGroundTruthTests(GeneratedDataset data) : IClassFixture<GeneratedDataset>
{
    [Fact]
    public void Create_RecomputesTheTastesTheGeneratorDrew_SoMostOfEachUsersViewsFallInThem()
    {
        var truth = SyntheticGroundTruth.Create(GeneratedDataset.Options);
        var categories = ItemsCsv.Read(Path.Combine(data.DirectoryPath, DatasetFiles.Items)).ToDictionary(i => i.ItemId, i => i.Category);
        var interactions = data.Interactions;
        var users = interactions.UserIndex;
        var items = interactions.ItemIndex;
        var types = interactions.EventTypeCodes;
        var view = interactions.EventTypeCode("view");
        long views = 0, inTaste = 0;
        for (var row = 0; row < interactions.Count; row++)
        {
            if (types[row] != view) continue;
            views++;
            var user = interactions.UserIds[users[row]];
            if (truth.Tastes(user).Contains(categories[interactions.ItemIds[items[row]]])) inTaste++;
        }

        // The generator draws 85% of views from the user's tastes and the rest from the whole catalog (some of it in
        // taste again); tastes of the wrong users would match about 2 of 20 categories, about 10% of views.
        Assert.InRange(inTaste / (double)views, 0.85, 0.95);
        Assert.Equal(GeneratedDataset.Options.Users, truth.Users.Count);
        Assert.Equal("user_00001", truth.Users[0]);
    }

    [Fact]
    public void ClickProbability_IsTheGeneratorsRateInsideTheUsersTastes_AndOutside()
    {
        var truth = SyntheticGroundTruth.Create(GeneratedDataset.Options);
        var categories = ItemsCsv.Read(Path.Combine(data.DirectoryPath, DatasetFiles.Items));
        var tastes = truth.Tastes("user_00001");
        var liked = categories.First(i => tastes.Contains(i.Category!));
        var other = categories.First(i => !tastes.Contains(i.Category!));

        Assert.Equal(0.13, truth.ClickProbability("user_00001", liked.ItemId));
        Assert.Equal(0.04, truth.ClickProbability("user_00001", other.ItemId));
    }
}
