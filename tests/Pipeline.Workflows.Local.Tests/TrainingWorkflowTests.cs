using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;
using static Pipeline.Workflows.Local.Tests.TrainingScenario;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>The committed training ASL (what `cdk synth` writes) run end to end on the local Personalize.</summary>
public sealed class TrainingWorkflowTests
{
    private static void AssertSucceeded(Execution execution) =>
        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");

    [Fact]
    public async Task Training_OnAFreshDatasetGroup_ImportsTrainsEveryRecipe_CreatesTheCampaigns_AndPointsTheVariants()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", "aws-user-personalization", "aws-sims", "aws-popularity-count", "aws-trending-now");

        var execution = await scenario.RunTrainingAsync(Input(ThreeRecipes, SampleImport(), "homepage"));

        AssertSucceeded(execution);
        var entered = Entered(execution);
        // Group → imports (each dataset created, then imported) → one iteration per recipe → success.
        Assert.Equal(["ValidateInput", "OnlineGateGiven", "ApplyDefaults", "MergeDefaults", "CompleteNestedDefaults", "MergeNestedDefaults", "FindRunningExecutions", "IsOldestRun", "CreateDatasetGroup"], entered[..9]);
        foreach (var type in new[] { "Interactions", "Items", "Users" })
        {
            Assert.True(entered.IndexOf($"Create{type}Dataset") < entered.IndexOf($"Import{type}"), type);
            Assert.Contains($"{type}Imported", entered);
        }
        Assert.Equal(3, entered.Count(s => s == "CreateSolution"));
        Assert.Equal(3, entered.Count(s => s == "CreateCampaign"));
        Assert.DoesNotContain("UpdateCampaign", entered);
        Assert.Equal("TrainingSucceeded", entered[^1]);

        var results = execution.Output!["results"]!.AsArray();
        Assert.Equal(ThreeRecipes, results.Select(r => r!["recipe"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal("PROMOTED", r!["status"]!.GetValue<string>()));
        foreach (var (recipe, result) in ThreeRecipes.Zip(results))
        {
            var campaign = await scenario.DescribeCampaignAsync(recipe);
            Assert.Equal("ACTIVE", campaign["status"]!.GetValue<string>());
            Assert.Equal(result!["solutionVersionArn"]!.GetValue<string>(), campaign["solutionVersionArn"]!.GetValue<string>());
            Assert.StartsWith(SolutionArn(recipe) + "/", campaign["solutionVersionArn"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Each recipe's variant points at its campaign; the variant of a recipe not trained is left alone.
        Assert.Equal([.. ThreeRecipes.Select(CampaignArn), null], scenario.CampaignsOf("homepage"));
        Assert.Equal(3, scenario.Events.Count);
        Assert.All(scenario.Events, e => Assert.Equal("ModelPromoted", e["DetailType"]!.GetValue<string>()));
        Assert.Equal(ThreeRecipes.Order(StringComparer.Ordinal), scenario.Events.Select(e => e["Detail"]!["recipe"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Empty(scenario.Alerts.Alerts);
    }

    [Fact]
    public async Task Training_WhileAnEarlierRunOfTheMachineIsRunning_EndsSkippedWithoutTouchingPersonalize()
    {
        await using var scenario = Create();
        scenario.Experiment("default", ThreeRecipes);
        // The nightly run of 30 hours ago is still training (the machine's timeout is about 34 h).
        scenario.Running = machine => [(machine.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":nightly", DateTimeOffset.UtcNow.AddHours(-30))];

        var execution = await scenario.RunTrainingAsync(Input(ThreeRecipes, SampleImport(), "default"));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var output = execution.Output!;
        Assert.Equal("SKIPPED", output["status"]!.GetValue<string>());
        Assert.EndsWith(":execution:Training:nightly", output["running"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("CreateDatasetGroup", Entered(execution));
        Assert.Empty((await scenario.Personalize.InvokeAsync("ListDatasetGroups", []))["datasetGroups"]!.AsArray());
        Assert.Empty(scenario.Alerts.Alerts);
    }

    [Fact]
    public async Task Training_Again_UsesTheExistingGroupSolutionsAndCampaigns_AndUpdatesCampaignsThatPassTheGate()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", ThreeRecipes);
        AssertSucceeded(await scenario.RunTrainingAsync(Input(ThreeRecipes, SampleImport(), "homepage")));
        var first = await Task.WhenAll(ThreeRecipes.Select(scenario.ServedVersionAsync));

        // No import: retrain on what the datasets hold. Same data, same metrics: "at least as good" passes the gate.
        var execution = await scenario.RunTrainingAsync(Input(ThreeRecipes, experiment: "homepage"));

        AssertSucceeded(execution);
        var entered = Entered(execution);
        Assert.Contains("SkipInteractionsImport", entered);
        Assert.DoesNotContain("CreateInteractionsSchema", entered);
        // The group and the solutions exist: their Create calls fail with ResourceAlreadyExists, which is caught.
        var alreadyExists = execution.History.Where(e => e.Type == "TaskFailed").Select(e => e.Error).ToList();
        Assert.Equal(4, alreadyExists.Count);
        Assert.All(alreadyExists, error => Assert.Equal("Personalize.ResourceAlreadyExistsException", error));
        Assert.Equal(3, entered.Count(s => s == "UpdateCampaign"));
        Assert.DoesNotContain("CreateCampaign", entered);
        var second = await Task.WhenAll(ThreeRecipes.Select(scenario.ServedVersionAsync));
        Assert.All(first.Zip(second), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Equal([.. ThreeRecipes.Select(CampaignArn)], scenario.CampaignsOf("homepage"));
        Assert.Equal(6, scenario.Events.Count);
    }

    [Fact]
    public async Task Training_WithTheNightlyRulesInput_RetrainsTheDefaultRecipes_AndSucceeds()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", ThreeRecipes);
        AssertSucceeded(await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport())));

        // Exactly what the EventBridge rule sends (infra tests check the rule carries this object).
        var nightly = JsonNode.Parse(JsonSerializer.Serialize(TrainingInput.Nightly(Group, "homepage")))!;
        var execution = await scenario.RunTrainingAsync(nightly);

        AssertSucceeded(execution);
        Assert.All(execution.Output!["results"]!.AsArray(), r => Assert.Equal("PROMOTED", r!["status"]!.GetValue<string>()));
        Assert.Equal([.. ThreeRecipes.Select(CampaignArn)], scenario.CampaignsOf("homepage"));
    }

    [Fact]
    public async Task Training_WithTheNightlyRulesInput_OnAGroupWithNoData_EndsSucceededSkipped_WithoutAnAlert()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", ThreeRecipes);

        // A fresh deployment: nobody has imported yet, the nightly rule fires.
        var execution = await scenario.RunTrainingAsync(JsonNode.Parse(JsonSerializer.Serialize(TrainingInput.Nightly(Group, "homepage")))!);

        AssertSucceeded(execution);
        Assert.Equal("SKIPPED", execution.Output!["status"]!.GetValue<string>());
        Assert.Equal(Group, execution.Output["dataset_group"]!.GetValue<string>());
        Assert.Empty(scenario.Alerts.Alerts);
        Assert.DoesNotContain("CreateSolution", Entered(execution));
        Assert.Equal([null, null, null], scenario.CampaignsOf("homepage"));
    }

    [Fact]
    public async Task Training_CreatesSolutionsWithoutPersonalizesAutomaticTraining()
    {
        await using var scenario = Create();

        AssertSucceeded(await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport())));

        var solution = (await scenario.Personalize.InvokeAsync("DescribeSolution", new() { ["solutionArn"] = SolutionArn("aws-popularity-count") }))["solution"]!;
        Assert.False(solution["performAutoTraining"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Training_OfAVersionWorseThanTheServedOne_IsNotPromoted_AndLeavesCampaignAndExperimentAlone()
    {
        const string Metric = "normalized_discounted_cumulative_gain_at_10";
        await using var scenario = Create();
        string[] recipes = ["aws-user-personalization", "aws-popularity-count"];
        scenario.Experiment("homepage", recipes);
        var first = await scenario.RunTrainingAsync(Input(recipes, SampleImport()));
        AssertSucceeded(first);
        // Let one campaign serve the other recipe's version when that one scores better: retraining its own recipe
        // (same data, same score) then falls short of what it serves.
        var versions = first.Output!["results"]!.AsArray().Select(r => r!["solutionVersionArn"]!.GetValue<string>()).ToArray();
        var scores = await Task.WhenAll(versions.Select(v => scenario.MetricAsync(v, Metric)));
        Assert.NotEqual(scores[0], scores[1]);
        var (worse, better) = scores[0] < scores[1] ? (0, 1) : (1, 0);
        await scenario.Personalize.InvokeAsync("UpdateCampaign", new() { ["campaignArn"] = CampaignArn(recipes[worse]), ["solutionVersionArn"] = versions[better] });
        await scenario.Personalize.WhenIdleAsync();
        scenario.Events.Clear();

        var execution = await scenario.RunTrainingAsync(Input([recipes[worse]], experiment: "homepage", promoteIf: new JsonObject { ["metric"] = Metric }));

        AssertSucceeded(execution);
        var result = Assert.Single(execution.Output!["results"]!.AsArray())!;
        Assert.Equal("NOT_PROMOTED", result["status"]!.GetValue<string>());
        Assert.Equal(versions[better], result["servedSolutionVersionArn"]!.GetValue<string>());
        // The gate compared the two scores, not missing values.
        Assert.Equal(scores[better], result["servedMetrics"]![Metric]!.GetValue<double>());
        Assert.Equal(scores[worse], result["metrics"]![Metric]!.GetValue<double>());
        Assert.Equal(["MetricGate", "GateDecision", "NotPromoted"], Entered(execution)[^7..^4]);
        Assert.StartsWith($"{Metric} ", result["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(versions[better], await scenario.ServedVersionAsync(recipes[worse]));
        Assert.Equal([null, null], scenario.CampaignsOf("homepage"));
        Assert.Empty(scenario.Events);
        Assert.Empty(scenario.Alerts.Alerts);
    }

    [Fact]
    public async Task Training_WithAMinImprovementTheRetrainedVersionMisses_KeepsTheServedCampaign_AndWithZeroPromotes()
    {
        const string Metric = "normalized_discounted_cumulative_gain_at_10";
        string[] recipes = ["aws-popularity-count"];
        await using var scenario = Create();
        scenario.Experiment("homepage", recipes);
        AssertSucceeded(await scenario.RunTrainingAsync(Input(recipes, SampleImport())));
        var served = await scenario.ServedVersionAsync(recipes[0]);
        var score = await scenario.MetricAsync(served, Metric);
        scenario.Events.Clear();

        // Same data, same score: it is not 0.5 better than the served version.
        var strict = await scenario.RunTrainingAsync(Input(recipes, experiment: "homepage",
            promoteIf: new JsonObject { ["metric"] = Metric, ["min_improvement"] = 0.5 }));

        AssertSucceeded(strict);
        var kept = Assert.Single(strict.Output!["results"]!.AsArray())!;
        Assert.Equal("NOT_PROMOTED", kept["status"]!.GetValue<string>());
        Assert.Equal(score, kept["metrics"]![Metric]!.GetValue<double>());
        Assert.Contains("< served", kept["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("+ 0.5 =", kept["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(served, await scenario.ServedVersionAsync(recipes[0]));
        Assert.Equal([null], scenario.CampaignsOf("homepage"));
        Assert.Empty(scenario.Events);

        // 0.0: at least as good as the served version is enough.
        var lenient = await scenario.RunTrainingAsync(Input(recipes, experiment: "homepage",
            promoteIf: new JsonObject { ["metric"] = Metric, ["min_improvement"] = 0.0 }));

        AssertSucceeded(lenient);
        var promoted = Assert.Single(lenient.Output!["results"]!.AsArray())!;
        Assert.Equal("PROMOTED", promoted["status"]!.GetValue<string>());
        Assert.NotEqual(served, await scenario.ServedVersionAsync(recipes[0]));
        Assert.Equal(promoted["solutionVersionArn"]!.GetValue<string>(), await scenario.ServedVersionAsync(recipes[0]));
        Assert.Equal([CampaignArn(recipes[0])], scenario.CampaignsOf("homepage"));
        Assert.Contains("UpdateCampaign", Entered(lenient));
    }

    [Fact]
    public async Task Training_OnAFreshDatasetGroup_AsksTheGateWithNothingServed()
    {
        await using var scenario = Create();

        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport(),
            promoteIf: new JsonObject { ["metric"] = "coverage", ["min_improvement"] = 0.99 }));

        AssertSucceeded(execution);
        var gate = execution.History.Single(e => e.Type == "TaskStateExited" && e.StateName == "MetricGate").Output!["gate"]!;
        Assert.True(gate["promote"]!.GetValue<bool>());
        Assert.StartsWith("no version is served yet", gate["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("CreateCampaign", Entered(execution));
    }

    [Fact]
    public async Task Training_WithAnIncrementalImport_AppendsToTheDataset_WhileAFullImportReplacesIt()
    {
        // Two halves of 600 interactions: neither alone reaches the 1,000 Personalize trains on, both together do.
        string[] recipes = ["aws-popularity-count"];
        await using var scenario = Create();
        var first = scenario.InteractionsSlice(0, 600, "first");
        var second = scenario.InteractionsSlice(600, 600, "second");
        JsonObject Import(string location, string? mode = null)
        {
            var import = new JsonObject { ["interactions"] = location };
            if (mode is not null) import["mode"] = mode;
            return import;
        }

        var firstHalf = await scenario.RunTrainingAsync(Input(recipes, Import(first)));
        Assert.Equal(ExecutionStatus.Failed, firstHalf.Status);
        Assert.Contains("Insufficient data", firstHalf.Cause, StringComparison.Ordinal);

        var appended = await scenario.RunTrainingAsync(Input(recipes, Import(second, "INCREMENTAL")));

        AssertSucceeded(appended);
        var scheduled = appended.History.Single(e => e.Type == "TaskScheduled" && e.Resource == "createDatasetImportJob");
        Assert.Equal("INCREMENTAL", scheduled.Parameters!["ImportMode"]!.GetValue<string>());
        var jobs = (await scenario.Personalize.InvokeAsync("ListDatasetImportJobs", new()
        {
            ["datasetArn"] = $"arn:aws:personalize:us-east-1:000000000000:dataset/{Group}/INTERACTIONS",
        }))["datasetImportJobs"]!.AsArray();
        Assert.Equal(["FULL", "INCREMENTAL"], jobs.Select(j => j!["importMode"]!.GetValue<string>()));

        // FULL (the default) replaces what the dataset holds: the second half alone is too little again.
        var replaced = await scenario.RunTrainingAsync(Input(recipes, Import(second, "FULL")));

        Assert.Equal(ExecutionStatus.Failed, replaced.Status);
        Assert.Contains("Insufficient data", replaced.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_WhenNoVersionCanTrain_EndsFailed_AlertsNamingTheState_AndLeavesTheServingExperimentUnchanged()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", ThreeRecipes);
        AssertSucceeded(await scenario.RunTrainingAsync(Input(ThreeRecipes, SampleImport(), "homepage")));
        var served = await Task.WhenAll(ThreeRecipes.Select(scenario.ServedVersionAsync));
        var campaigns = scenario.CampaignsOf("homepage");
        scenario.Events.Clear();

        // Forced failure: the import replaces the interactions with 500 of them, fewer than Personalize trains on.
        var small = new JsonObject { ["interactions"] = scenario.TruncatedInteractions(501) };
        var execution = await scenario.RunTrainingAsync(Input(ThreeRecipes, small, "homepage"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.SolutionVersionFailed", execution.Error);
        Assert.Contains("ended in status CREATE FAILED", execution.Cause, StringComparison.Ordinal);
        Assert.Contains("Insufficient data", execution.Cause, StringComparison.Ordinal);
        Assert.Equal(3, Entered(execution).Count(s => s == "RecipeFailed"));
        Assert.Equal(["ReportRecipeFailure", "NotifyFailure", "TrainingFailed"], Entered(execution)[^3..]);
        Assert.DoesNotContain(execution.History, e => e.StateName is "UpdateCampaign" or "CreateCampaign" or "PointExperimentVariant");

        var alert = Assert.Single(scenario.Alerts.Alerts);
        Assert.Equal("Pipeline training failed", alert.Subject);
        Assert.Equal(execution.ExecutionArn, alert.ExecutionArn);
        var message = alert.MessageJson!;
        Assert.Equal("Training", message["stateMachine"]!.GetValue<string>());
        Assert.Equal("DescribeSolutionVersion", message["failedState"]!.GetValue<string>());
        Assert.Equal("Personalize.SolutionVersionFailed", message["error"]!["Error"]!.GetValue<string>());
        Assert.Contains(message["error"]!["Recipe"]!.GetValue<string>(), ThreeRecipes);
        Assert.Equal(Group, message["input"]!["dataset_group"]!.GetValue<string>());
        var line = JsonNode.Parse(Assert.Single(await File.ReadAllLinesAsync(scenario.Alerts.Path!)))!;
        Assert.Equal("DescribeSolutionVersion", line["message"]!["failedState"]!.GetValue<string>());

        // Serving is untouched: the campaigns serve the versions of the first run, the experiment points where it did.
        Assert.Equal(served, await Task.WhenAll(ThreeRecipes.Select(scenario.ServedVersionAsync)));
        Assert.Equal(campaigns, scenario.CampaignsOf("homepage"));
        Assert.Empty(scenario.Events);
    }

    [Fact]
    public async Task Training_WhenOneRecipeFails_PromotesTheOthers_ThenFailsNamingTheFailedRecipesState()
    {
        await using var scenario = Create();
        scenario.Experiment("homepage", "aws-popularity-count", "aws-hrnn");

        // aws-hrnn is a recipe the local engine cannot train: its version ends CREATE FAILED.
        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count", "aws-hrnn"], SampleImport(), "homepage"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.SolutionVersionFailed", execution.Error);
        Assert.Equal([CampaignArn("aws-popularity-count"), null], scenario.CampaignsOf("homepage"));
        var message = Assert.Single(scenario.Alerts.Alerts).MessageJson!;
        Assert.Equal("DescribeSolutionVersion", message["failedState"]!.GetValue<string>());
        Assert.Equal("aws-hrnn", message["error"]!["Recipe"]!.GetValue<string>());
        Assert.Equal("aws-popularity-count", Assert.Single(scenario.Events)["Detail"]!["recipe"]!.GetValue<string>());
    }

    [Fact]
    public async Task Training_WhenAnImportFileIsMissing_FailsAfterTheImports_WithoutTraining()
    {
        await using var scenario = Create();
        var import = SampleImport();
        import["users"] = "s3://bucket/data/nothing-here.csv";

        var execution = await scenario.RunTrainingAsync(Input(ThreeRecipes, import));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.DatasetImportFailed", execution.Error);
        var entered = Entered(execution);
        Assert.Contains("InteractionsImported", entered);
        Assert.Equal(["UsersImportFailed"], entered.Where(s => s.EndsWith("ImportFailed", StringComparison.Ordinal)));
        Assert.DoesNotContain("TrainRecipes", entered);
        Assert.Equal("DescribeUsersImport", Assert.Single(scenario.Alerts.Alerts).MessageJson!["failedState"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"recipes":["aws-sims"]}""", "dataset_group is required")]
    [InlineData("""{"dataset_group":7,"recipes":["aws-sims"]}""", "dataset_group is required")]
    [InlineData("""{"dataset_group":"shop","recipes":[]}""", "recipes is required")]
    [InlineData("""{"dataset_group":"shop","recipes":"aws-sims"}""", "recipes is required")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"training_mode":"PARTIAL"}""", "training_mode must be FULL or UPDATE")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":{"items":5}}""", "import.items must be a string")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"training_mode":5}""", "training_mode must be FULL or UPDATE")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":{"interactions":"s3://b/i.csv","mode":"PARTIAL"}}""", "import.mode must be FULL or INCREMENTAL")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":{"mode":1}}""", "import.mode must be FULL or INCREMENTAL")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":"s3://bucket/data/interactions.csv"}""", "import must be an object")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":["s3://bucket/data/interactions.csv"]}""", "import must be an object")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"import":null}""", "import must be an object")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"promote_if":{"metric":"auc"}}""", "promote_if.metric must be one of")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"promote_if":{"min_improvement":0}}""", "promote_if.metric must be one of")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"promote_if":{"metric":"coverage","min_improvement":-0.01}}""", "promote_if.min_improvement must be a number >= 0")]
    [InlineData("""{"dataset_group":"shop","recipes":["aws-sims"],"promote_if":{"metric":"coverage","min_improvement":"0.1"}}""", "promote_if.min_improvement must be a number >= 0")]
    public async Task Training_WithAMalformedInput_FailsInValidateInput_BeforeAnyCall_AndAlerts(string input, string cause)
    {
        await using var scenario = Create();

        var execution = await scenario.RunTrainingAsync(JsonNode.Parse(input)!);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Pipeline.InvalidInput", execution.Error);
        Assert.StartsWith(cause, execution.Cause, StringComparison.Ordinal);
        // The alert is the only task: nothing reached Personalize or the experiments table.
        Assert.Equal(["publish"], execution.History.Where(e => e.Type == "TaskScheduled").Select(e => e.Resource));
        Assert.Equal("ValidateInput", Assert.Single(scenario.Alerts.Alerts).MessageJson!["failedState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Training_WithAnUnknownExperiment_FailsInGetExperiment_WithoutAnnouncing()
    {
        await using var scenario = Create();

        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], SampleImport(), "nowhere"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Pipeline.ExperimentNotFound", execution.Error);
        Assert.Equal("GetExperiment", Assert.Single(scenario.Alerts.Alerts).MessageJson!["failedState"]!.GetValue<string>());
        Assert.Empty(scenario.Events);
    }

    [Fact]
    public async Task Training_WithRealisticLifecycles_PollsEveryResourceUntilActive()
    {
        // Each status stays 100 ms; polls wait 0.001 × their doubling delay.
        await using var scenario = Create(LifecycleMode.Realistic);

        var execution = await scenario.RunTrainingAsync(Input(["aws-popularity-count"], new JsonObject { ["interactions"] = "s3://bucket/data/interactions.csv" }));

        AssertSucceeded(execution);
        var statuses = execution.History
            .Where(e => e.Type == "TaskStateExited" && e.StateName == "DescribeSolutionVersion")
            .Select(e => e.Output!["version"]!["status"]!.GetValue<string>()).ToList();
        Assert.Equal("ACTIVE", statuses[^1]);
        Assert.Contains(statuses, s => s != "ACTIVE");
        Assert.Contains("WaitForInteractionsImport", Entered(execution));
        Assert.Contains("WaitForNewCampaign", Entered(execution));
        Assert.Equal("ACTIVE", (await scenario.DescribeCampaignAsync("aws-popularity-count"))["status"]!.GetValue<string>());
    }
}
