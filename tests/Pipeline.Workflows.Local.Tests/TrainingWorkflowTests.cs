using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;

namespace Pipeline.Workflows.Local.Tests;

/// <summary>The committed training ASL (what `cdk synth` writes) run end to end on the local Personalize.</summary>
public sealed class TrainingWorkflowTests
{
    [Fact]
    public async Task Training_OnImportedInteractions_Succeeds_WithTheVersionsMetricsInTheOutput()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");

        var execution = await scenario.RunTrainingAsync(solution);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        var output = execution.Output!.AsObject();
        Assert.Equal(solution, output["solutionArn"]!.GetValue<string>());
        var version = output["training"]!["solutionVersionArn"]!.GetValue<string>();
        Assert.StartsWith(solution + "/", version, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", output["version"]!["status"]!.GetValue<string>());
        Assert.True(output["poll"]!["attempts"]!.GetValue<long>() >= 1);
        var metrics = output["metrics"]!["values"]!.AsObject();
        // Metric names are map keys: they keep Personalize's snake_case through the PascalCase conversion.
        Assert.Contains("precision_at_25", metrics.Select(m => m.Key));
        Assert.Contains("normalized_discounted_cumulative_gain_at_10", metrics.Select(m => m.Key));
        Assert.All(metrics, m => Assert.InRange(m.Value!.GetValue<double>(), 0, 1));
        Assert.Empty(scenario.Alerts.Alerts);

        // The version really exists in the local service, ACTIVE.
        var described = await scenario.Personalize.InvokeAsync("DescribeSolutionVersion", new() { ["solutionVersionArn"] = version });
        Assert.Equal("ACTIVE", described["solutionVersion"]!["status"]!.GetValue<string>());
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["CreateSolutionVersion", "InitPollCounter", "WaitForTraining", "DescribeSolutionVersion", "CountPoll", "CheckStatus", "GetSolutionMetrics", "DeployToCampaign", "TrainingSucceeded"], entered);
    }

    [Fact]
    public async Task Training_WithACampaign_DeploysTheNewVersion_AndSucceedsOnceTheUpdateIsActive()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var (firstVersion, campaign) = await scenario.CampaignAsync(solution, "main");

        var execution = await scenario.RunTrainingAsync(solution, campaign);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        var output = execution.Output!.AsObject();
        var newVersion = output["training"]!["solutionVersionArn"]!.GetValue<string>();
        Assert.NotEqual(firstVersion, newVersion);
        Assert.Equal("ACTIVE", output["campaign"]!["updateStatus"]!.GetValue<string>());
        Assert.Equal("ACTIVE", output["campaign"]!["status"]!.GetValue<string>());
        Assert.Equal(newVersion, await scenario.ServedVersionAsync(campaign));
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(
            ["GetSolutionMetrics", "DeployToCampaign", "DescribeServingCampaign", "GetServedVersionMetrics", "BeatsServedVersion",
             "UpdateCampaign", "InitCampaignPollCounter", "WaitForCampaign", "DescribeCampaign", "CountCampaignPoll", "CheckCampaignStatus",
             "PointExperiment", "EmitModelPromoted", "TrainingSucceeded"], entered[^14..]);
        Assert.Equal(firstVersion, output["served"]!["solutionVersionArn"]!.GetValue<string>());
        Assert.Empty(scenario.Alerts.Alerts);
        var promoted = Assert.Single(scenario.Events);
        Assert.Equal("ModelPromoted", promoted["DetailType"]!.GetValue<string>());
        Assert.Equal("pipeline.training", promoted["Source"]!.GetValue<string>());
        Assert.Equal(newVersion, promoted["Detail"]!["solutionVersionArn"]!.GetValue<string>());
        Assert.Equal(campaign, promoted["Detail"]!["campaignArn"]!.GetValue<string>());
        Assert.NotNull(promoted["Detail"]!["metrics"]!["precision_at_25"]);
    }

    [Fact]
    public async Task Training_WithAnExperiment_PointsItsVariantAtTheCampaign_ThenAnnouncesModelPromoted()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var (_, campaign) = await scenario.CampaignAsync(solution, "main");
        scenario.Experiments["homepage"] = [null, null];

        var execution = await scenario.RunTrainingAsync(solution, campaign, "homepage", variantIndex: 1);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        Assert.Null(scenario.Experiments["homepage"][0]);
        Assert.Equal(campaign, scenario.Experiments["homepage"][1]);
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["PointExperiment", "PointExperimentVariant", "EmitModelPromoted", "TrainingSucceeded"], entered[^4..]);
        var update = Assert.Single(execution.History, e => e.Type == "TaskScheduled" && e.Resource == "updateItem");
        Assert.Equal("SET variants[1].campaign = :campaign", update.Parameters!["UpdateExpression"]!.GetValue<string>());
        Assert.Equal("ModelPromoted", Assert.Single(scenario.Events)["DetailType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Training_OfAVersionWorseThanTheServedOne_IsNotPromoted_AndLeavesCampaignAndExperimentAlone()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var pop = await scenario.SolutionAsync(group, "pop");
        var up = await scenario.SolutionAsync(group, "up", "arn:aws:personalize:::recipe/aws-user-personalization");
        // Train both once and let the campaign serve the better one on the gate's metric.
        const string Metric = "normalized_discounted_cumulative_gain_at_10";
        async Task<double> MetricOf(string version) =>
            (await scenario.Personalize.InvokeAsync("GetSolutionMetrics", new() { ["solutionVersionArn"] = version }))["metrics"]![Metric]!.GetValue<double>();
        var popVersion = await scenario.Call("CreateSolutionVersion", new() { ["solutionArn"] = pop }, "solutionVersionArn");
        var upVersion = await scenario.Call("CreateSolutionVersion", new() { ["solutionArn"] = up }, "solutionVersionArn");
        var (popScore, upScore) = (await MetricOf(popVersion), await MetricOf(upVersion));
        Assert.NotEqual(popScore, upScore);
        var (better, worse) = popScore > upScore ? (popVersion, up) : (upVersion, pop);
        var campaign = await scenario.Call("CreateCampaign", new() { ["name"] = "main", ["solutionVersionArn"] = better }, "campaignArn");
        scenario.Experiments["homepage"] = [null, campaign];

        var execution = await scenario.RunTrainingAsync(worse, campaign, "homepage", variantIndex: 0);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["BeatsServedVersion", "NotPromoted"], entered[^2..]);
        Assert.Equal(better, await scenario.ServedVersionAsync(campaign));
        Assert.Null(scenario.Experiments["homepage"][0]);
        Assert.Empty(scenario.Events);
        Assert.Empty(scenario.Alerts.Alerts);
    }

    [Fact]
    public async Task Training_WithAnUnknownExperiment_FailsInPointExperimentVariant_WithoutAnnouncing()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var (_, campaign) = await scenario.CampaignAsync(solution, "main");

        var execution = await scenario.RunTrainingAsync(solution, campaign, "nowhere");

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("DynamoDB.ConditionalCheckFailedException", execution.Error);
        Assert.Equal("PointExperimentVariant", Assert.Single(scenario.Alerts.Alerts).MessageJson!["failedState"]!.GetValue<string>());
        Assert.Empty(scenario.Events);
    }

    [Fact]
    public async Task Training_WithRealisticLifecycles_PollsTrainingAndTheCampaignUpdateUntilActive()
    {
        // Each status stays 250 ms; polls come every 300 s x 0.001 (training) and 60 s x 0.001 (campaign).
        await using var scenario = TrainingScenario.Create(LifecycleMode.Realistic);
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var (_, campaign) = await scenario.CampaignAsync(solution, "main");

        var execution = await scenario.RunTrainingAsync(solution, campaign);

        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{execution.Status}: {execution.Error} {execution.Cause}");
        var output = execution.Output!.AsObject();
        Assert.True(output["poll"]!["attempts"]!.GetValue<long>() > 1, output.ToJsonString());
        Assert.True(output["campaignPoll"]!["attempts"]!.GetValue<long>() > 1, output.ToJsonString());
        var campaignStatuses = execution.History
            .Where(e => e.Type == "TaskStateExited" && e.StateName == "DescribeCampaign")
            .Select(e => e.Output!["campaign"]!["updateStatus"]!.GetValue<string>()).ToList();
        Assert.Equal("ACTIVE", campaignStatuses[^1]);
        Assert.Contains(campaignStatuses, s => s != "ACTIVE");
        Assert.Equal(output["training"]!["solutionVersionArn"]!.GetValue<string>(), await scenario.ServedVersionAsync(campaign));
    }

    [Fact]
    public async Task Training_WhenTheVersionFails_LeavesTheCampaignServingTheOldVersion()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var (firstVersion, campaign) = await scenario.CampaignAsync(solution, "main");
        // Another solution whose versions cannot train, pointed at the same campaign.
        var broken = await scenario.SolutionAsync(group, "hrnn", "arn:aws:personalize:::recipe/aws-hrnn");

        scenario.Experiments["homepage"] = [null, "arn:aws:personalize:us-east-1:000000000000:campaign/serving"];

        var execution = await scenario.RunTrainingAsync(broken, campaign, "homepage", variantIndex: 1);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.DoesNotContain(execution.History, e => e.StateName is "UpdateCampaign" or "PointExperimentVariant");
        Assert.Equal("arn:aws:personalize:us-east-1:000000000000:campaign/serving", scenario.Experiments["homepage"][1]);
        Assert.Equal(firstVersion, await scenario.ServedVersionAsync(campaign));
        Assert.Equal("DescribeSolutionVersion", Assert.Single(scenario.Alerts.Alerts).MessageJson!["failedState"]!.GetValue<string>());
        Assert.Empty(scenario.Events);
    }

    [Fact]
    public async Task Training_WithAMissingCampaign_FailsReadingTheServedVersion_AndAlertsNamingTheState()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        var solution = await scenario.SolutionAsync(group, "pop");
        var missing = "arn:aws:personalize:us-east-1:000000000000:campaign/nothing-here";

        var execution = await scenario.RunTrainingAsync(solution, missing);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.ResourceNotFoundException", execution.Error);
        var message = Assert.Single(scenario.Alerts.Alerts).MessageJson!;
        Assert.Equal("DescribeServingCampaign", message["failedState"]!.GetValue<string>());
        Assert.Contains(missing, message["error"]!["Cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_WhenTheVersionEndsCreateFailed_FailsAndAlerts_WithTheVersionAndStatus()
    {
        await using var scenario = TrainingScenario.Create();
        var group = await scenario.DatasetGroupWithInteractionsAsync();
        // A recipe the local catalog cannot train: the version ends CREATE FAILED.
        var solution = await scenario.SolutionAsync(group, "hrnn", "arn:aws:personalize:::recipe/aws-hrnn");

        var execution = await scenario.RunTrainingAsync(solution);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.SolutionVersionFailed", execution.Error);
        Assert.Contains("ended in status CREATE FAILED", execution.Cause, StringComparison.Ordinal);
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["SolutionVersionFailed", "NotifyFailure", "TrainingFailed"], entered[^3..]);

        var alert = Assert.Single(scenario.Alerts.Alerts);
        Assert.Equal("Pipeline training failed", alert.Subject);
        Assert.Equal("NotifyFailure", alert.StateName);
        Assert.Equal(execution.ExecutionArn, alert.ExecutionArn);
        var message = alert.MessageJson!;
        Assert.Equal("Training", message["stateMachine"]!.GetValue<string>());
        Assert.Equal(execution.ExecutionArn, message["execution"]!.GetValue<string>());
        Assert.Equal(solution, message["solutionArn"]!.GetValue<string>());
        // The state whose result failed the run: DescribeSolutionVersion reported CREATE FAILED.
        Assert.Equal("DescribeSolutionVersion", message["failedState"]!.GetValue<string>());
        Assert.Equal("Personalize.SolutionVersionFailed", message["error"]!["Error"]!.GetValue<string>());
        Assert.Equal(execution.Cause, message["error"]!["Cause"]!.GetValue<string>());

        // The sink also appended it to its file as one JSON line.
        var line = Assert.Single(await File.ReadAllLinesAsync(scenario.Alerts.Path!));
        var logged = JsonNode.Parse(line)!;
        Assert.Equal("Personalize.SolutionVersionFailed", logged["message"]!["error"]!["Error"]!.GetValue<string>());
        Assert.Equal(execution.ExecutionArn, logged["execution"]!.GetValue<string>());
    }

    [Fact]
    public async Task Training_OnAMissingSolution_FailsInCreateSolutionVersion_WithPersonalizesErrorName()
    {
        await using var scenario = TrainingScenario.Create();
        var missing = "arn:aws:personalize:us-east-1:000000000000:solution/nothing-here";

        var execution = await scenario.RunTrainingAsync(missing);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Personalize.ResourceNotFoundException", execution.Error);
        Assert.Contains(missing, execution.Cause, StringComparison.Ordinal);
        var failed = Assert.Single(execution.History, e => e.Type == "TaskFailed");
        Assert.Equal("Personalize.ResourceNotFoundException", failed.Error);
        var entered = execution.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName).ToList();
        Assert.Equal(["CreateSolutionVersion", "CreateSolutionVersionError", "NotifyFailure", "TrainingFailed"], entered);
        var alert = Assert.Single(scenario.Alerts.Alerts);
        Assert.Equal("CreateSolutionVersion", alert.MessageJson!["failedState"]!.GetValue<string>());
        Assert.Contains(missing, alert.MessageJson!["error"]!["Cause"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Personalize.ResourceNotFoundException", alert.MessageJson!["error"]!["Error"]!.GetValue<string>());
        Assert.Equal(missing, alert.MessageJson!["solutionArn"]!.GetValue<string>());
    }
}
