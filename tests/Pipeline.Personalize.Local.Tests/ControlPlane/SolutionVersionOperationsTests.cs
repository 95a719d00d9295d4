using Pipeline.Personalize.Local.Errors;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.ControlPlane;

public sealed class SolutionVersionOperationsTests
{
    private static readonly string[] PersonalizeMetricNames =
    [
        "coverage", "mean_reciprocal_rank_at_25",
        "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25", "normalized_discounted_cumulative_gain_at_5",
        "precision_at_10", "precision_at_25", "precision_at_5",
    ];

    [Fact]
    public async Task Training_OnImportedInteractions_EndsActive_WithPersonalizesMetricNames()
    {
        await using var scenario = Create();
        var (_, solution, version, _) = await scenario.TrainedCampaignAsync();

        var described = (await scenario.Call("DescribeSolutionVersion", new() { ["solutionVersionArn"] = version }))["solutionVersion"]!;
        Assert.Equal("ACTIVE", described["status"]!.GetValue<string>());
        Assert.StartsWith(solution + "/", version, StringComparison.Ordinal);
        var metrics = (await scenario.Call("GetSolutionMetrics", new() { ["solutionVersionArn"] = version }))["metrics"]!.AsObject();
        Assert.Equal(PersonalizeMetricNames, metrics.Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.All(metrics, m => Assert.InRange(m.Value!.GetValue<double>(), 0, 1));
        // Popular items are relevant to many held-out users: better than nothing.
        Assert.True(metrics["precision_at_25"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Metrics_ForSims_ScoreItemToItemAnswers_NotThePopularityFallback()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var popular = await scenario.VersionAsync(await scenario.SolutionAsync(group));
        var sims = await scenario.VersionAsync(await scenario.SolutionAsync(group, "sims", "arn:aws:personalize:::recipe/aws-sims"));

        var popularMetrics = (await scenario.Call("GetSolutionMetrics", new() { ["solutionVersionArn"] = popular }))["metrics"]!.AsObject();
        var simsMetrics = (await scenario.Call("GetSolutionMetrics", new() { ["solutionVersionArn"] = sims }))["metrics"]!.AsObject();

        Assert.Equal(PersonalizeMetricNames, simsMetrics.Select(m => m.Key).Order(StringComparer.Ordinal));
        // Seeded with each user's latest item, SIMS answers differ per user: more of the catalogue is recommended.
        Assert.True(simsMetrics["coverage"]!.GetValue<double>() > popularMetrics["coverage"]!.GetValue<double>());
        Assert.NotEqual(popularMetrics["normalized_discounted_cumulative_gain_at_10"]!.GetValue<double>(),
            simsMetrics["normalized_discounted_cumulative_gain_at_10"]!.GetValue<double>());
    }

    [Fact]
    public async Task Training_WithARecipeNotInTheCatalog_EndsCreateFailed_NamingTheRecipe()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var solution = await scenario.SolutionAsync(group, "hrnn", "arn:aws:personalize:::recipe/aws-hrnn");

        var version = await scenario.VersionAsync(solution);

        var described = (await scenario.Call("DescribeSolutionVersion", new() { ["solutionVersionArn"] = version }))["solutionVersion"]!;
        Assert.Equal("CREATE FAILED", described["status"]!.GetValue<string>());
        Assert.Contains("aws-hrnn", described["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
        await Fails(ErrorTypes.ResourceInUse, () => scenario.Call("GetSolutionMetrics", new() { ["solutionVersionArn"] = version }));
    }

    [Fact]
    public async Task Training_WithFewerThan1000Interactions_EndsCreateFailed_WithPersonalizesMinimum()
    {
        await using var scenario = Create(users: 100, items: 50, interactions: 900);
        var group = await scenario.DatasetGroupAsync();
        await scenario.ImportAsync(group);
        var version = await scenario.VersionAsync(await scenario.SolutionAsync(group));

        var described = (await scenario.Call("DescribeSolutionVersion", new() { ["solutionVersionArn"] = version }))["solutionVersion"]!;
        Assert.Equal("CREATE FAILED", described["status"]!.GetValue<string>());
        Assert.Contains("at least 1000", described["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_WithoutInteractions_EndsCreateFailed()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();
        var version = await scenario.VersionAsync(await scenario.SolutionAsync(group));

        var described = (await scenario.Call("DescribeSolutionVersion", new() { ["solutionVersionArn"] = version }))["solutionVersion"]!;
        Assert.Equal("CREATE FAILED", described["status"]!.GetValue<string>());
        Assert.Contains("interactions", described["failureReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSolution_WithoutARecipe_FailsWithInvalidInput()
    {
        await using var scenario = Create();
        var group = await scenario.DatasetGroupAsync();

        await Fails(ErrorTypes.InvalidInput, () => scenario.Call("CreateSolution", new() { ["name"] = "auto", ["datasetGroupArn"] = group, ["performAutoML"] = true }));
    }

    [Fact]
    public async Task ListSolutionVersions_OfAMissingSolution_FailsWithResourceNotFound()
    {
        await using var scenario = Create();

        await Fails(ErrorTypes.ResourceNotFound, () => scenario.Call("ListSolutionVersions", new() { ["solutionArn"] = scenario.Arn("solution/none") }));
    }

    [Fact]
    public async Task DescribeSolution_ShowsTheLatestVersion()
    {
        await using var scenario = Create();
        var (_, solution, version, _) = await scenario.TrainedCampaignAsync();

        var latest = (await scenario.Call("DescribeSolution", new() { ["solutionArn"] = solution }))["solution"]!["latestSolutionVersion"]!;

        Assert.Equal(version, latest["solutionVersionArn"]!.GetValue<string>());
        Assert.Equal("ACTIVE", latest["status"]!.GetValue<string>());
    }
}
