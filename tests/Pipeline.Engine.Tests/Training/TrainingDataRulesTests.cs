using RecipeNames = Pipeline.Domain.Recommendations.Recipes;
using Pipeline.Engine.Datasets;
using Pipeline.Engine.Recipes;
using Pipeline.Engine.Training;

namespace Pipeline.Engine.Tests.Training;

public sealed class TrainingDataRulesTests
{
    private const string TooFewUsers = "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.";

    // users × perUser rows; every third row a purchase with value 5, the rest views with value 1.
    private static InteractionDataset Build(int users, int perUser, bool withValues = true)
    {
        var builder = new InteractionDatasetBuilder();
        var row = 0;
        for (var u = 0; u < users; u++)
            for (var i = 0; i < perUser; i++, row++)
            {
                var purchase = row % 3 == 0;
                builder.Add($"u{u}", $"i{(u + i) % 50}", row, purchase ? "purchase" : "view", withValues ? (purchase ? 5f : 1f) : float.NaN);
            }
        return builder.Build();
    }

    private static TrainingData Data(InteractionDataset dataset) => new(dataset);

    [Fact]
    public void Apply_WithoutConfig_KeepsEveryRowWhenTheMinimumsAreMet()
    {
        var data = Data(Build(users: 50, perUser: 20));
        Assert.Same(data, TrainingDataRules.Apply(data, new SolutionDataConfig()));
    }

    [Fact]
    public void Apply_WithEventType_KeepsOnlyThatType()
    {
        var dataset = Build(users: 100, perUser: 40);
        var filtered = TrainingDataRules.Apply(Data(dataset), new SolutionDataConfig(EventType: "purchase")).Interactions;
        Assert.Equal(4000 / 3 + 1, filtered.Count);
        var purchase = filtered.EventTypeCode("purchase");
        foreach (var code in filtered.EventTypeCodes.ToArray()) Assert.Equal(purchase, code);
    }

    [Fact]
    public void Apply_WithEventValueThreshold_KeepsValuesAtOrAboveIt()
    {
        var dataset = Build(users: 100, perUser: 40);
        var atFive = TrainingDataRules.Apply(Data(dataset), new SolutionDataConfig(EventValueThreshold: 5)).Interactions;
        Assert.Equal(4000 / 3 + 1, atFive.Count);
        Assert.All(atFive.EventValues.ToArray(), v => Assert.True(v >= 5));
        var atOne = TrainingDataRules.Apply(Data(dataset), new SolutionDataConfig(EventValueThreshold: 1)).Interactions;
        Assert.Equal(4000, atOne.Count);
    }

    [Fact]
    public void Apply_WithThreshold_DropsRowsThatHaveNoValue()
    {
        var error = Assert.Throws<TrainingDataException>(() =>
            TrainingDataRules.Apply(Data(Build(users: 100, perUser: 40, withValues: false)), new SolutionDataConfig(EventValueThreshold: 0)));
        Assert.Equal("Dataset has fewer than 1000 interactions.", error.Message);
    }

    [Fact]
    public void Apply_FewerThan1000InteractionsAfterEventTypeFiltering_FailsWithPersonalizesMessage()
    {
        // 2,400 rows, 800 purchases.
        var error = Assert.Throws<TrainingDataException>(() =>
            TrainingDataRules.Apply(Data(Build(users: 60, perUser: 40)), new SolutionDataConfig(EventType: "purchase")));
        Assert.Equal("Dataset has fewer than 1000 interactions after filtering by event type: purchase", error.Message);
    }

    [Fact]
    public void Apply_AnEventTypeNoRowHas_FailsOnTheInteractionMinimum()
    {
        var error = Assert.Throws<TrainingDataException>(() =>
            TrainingDataRules.Apply(Data(Build(users: 60, perUser: 40)), new SolutionDataConfig(EventType: "rating")));
        Assert.Equal("Dataset has fewer than 1000 interactions after filtering by event type: rating", error.Message);
    }

    [Fact]
    public void Apply_Exactly1000InteractionsAnd25UsersWithTwo_Passes()
    {
        var builder = new InteractionDatasetBuilder();
        for (var u = 0; u < 24; u++) { builder.Add($"u{u}", "a", 1, "view"); builder.Add($"u{u}", "b", 2, "view"); }
        for (var i = 0; i < 952; i++) builder.Add("heavy", $"i{i}", i, "view");
        var dataset = builder.Build();
        Assert.Equal(1000, dataset.Count);
        Assert.Equal(1000, TrainingDataRules.Apply(Data(dataset), new SolutionDataConfig()).Interactions.Count);
    }

    [Fact]
    public void Apply_999Interactions_Fails()
    {
        var builder = new InteractionDatasetBuilder();
        for (var u = 0; u < 30; u++) { builder.Add($"u{u}", "a", 1, "view"); builder.Add($"u{u}", "b", 2, "view"); }
        for (var i = 0; i < 939; i++) builder.Add("heavy", $"i{i}", i, "view");
        var error = Assert.Throws<TrainingDataException>(() => TrainingDataRules.Apply(Data(builder.Build()), new SolutionDataConfig()));
        Assert.Equal("Dataset has fewer than 1000 interactions.", error.Message);
    }

    [Fact]
    public void Apply_24UsersWithTwoInteractions_FailsWithPersonalizesMessage()
    {
        var builder = new InteractionDatasetBuilder();
        for (var u = 0; u < 23; u++) { builder.Add($"u{u}", "a", 1, "view"); builder.Add($"u{u}", "b", 2, "view"); }
        for (var u = 0; u < 200; u++) builder.Add($"single{u}", "a", 3, "view");
        for (var i = 0; i < 800; i++) builder.Add("heavy", $"i{i}", i, "view");
        var error = Assert.Throws<TrainingDataException>(() => TrainingDataRules.Apply(Data(builder.Build()), new SolutionDataConfig()));
        Assert.Equal(TooFewUsers, error.Message);
    }

    [Fact]
    public void Apply_CountsUsersAfterFiltering()
    {
        // Everyone has many views, but only 10 users purchased twice.
        var builder = new InteractionDatasetBuilder();
        for (var u = 0; u < 100; u++)
            for (var i = 0; i < 20; i++) builder.Add($"u{u}", $"i{i}", i, "view");
        for (var u = 0; u < 10; u++)
            for (var i = 0; i < 110; i++) builder.Add($"u{u}", $"p{i}", 100 + i, "purchase");
        var error = Assert.Throws<TrainingDataException>(() =>
            TrainingDataRules.Apply(Data(builder.Build()), new SolutionDataConfig(EventType: "purchase")));
        Assert.Equal(TooFewUsers, error.Message);
    }

    [Fact]
    public void FromHyperParameters_ReadsEventTypeAndThreshold()
    {
        var config = SolutionDataConfig.FromHyperParameters(new Dictionary<string, string> { ["eventType"] = "click", ["eventValueThreshold"] = "0.5" });
        Assert.Equal(new SolutionDataConfig("click", 0.5), config);
        Assert.Equal(new SolutionDataConfig(), SolutionDataConfig.FromHyperParameters(new Dictionary<string, string>()));
    }

    [Fact]
    public void FromHyperParameters_RejectsANonNumericThreshold()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SolutionDataConfig.FromHyperParameters(new Dictionary<string, string> { ["eventValueThreshold"] = "high" }));
        Assert.Contains("eventValueThreshold must be a number (got 'high')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTrainingDataRules_AppliesTheRulesBeforeTheRecipeTrains()
    {
        var recipe = new PopularityCountRecipe().WithTrainingDataRules();
        Assert.Equal(RecipeNames.PopularityCount, recipe.Name);
        var tiny = Build(users: 3, perUser: 3);
        Assert.Throws<TrainingDataException>(() => recipe.Train(Data(tiny), new Dictionary<string, string>()));

        var hyperParameters = new Dictionary<string, string> { ["eventValueThreshold"] = "5" };
        var model = (PopularityCountModel)recipe.Train(Data(Build(users: 100, perUser: 40)), hyperParameters);
        // Only purchases (value 5) survive, so the counts are of purchasers.
        var unfiltered = (PopularityCountModel)new PopularityCountRecipe().Train(Data(Build(users: 100, perUser: 40)), new Dictionary<string, string> { ["eventType"] = "purchase" });
        Assert.Equal(unfiltered.RankedItemIds, model.RankedItemIds);
        Assert.Equal(unfiltered.DistinctUserCounts, model.DistinctUserCounts);
    }
}
