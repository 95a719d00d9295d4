using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Workflows;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class TrainingWorkflowTests(SynthFixture synth)
{
    // Relaxed escaping keeps States.Format('...') readable in the committed file (no \u0027).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private JsonObject Asl => AslExtractor.Extract(synth.ServiceJson, "Training");

    private JsonObject State(string name) => Asl["States"]![name]!.AsObject();

    [Fact]
    public void Calls_personalize_through_aws_sdk_integrations()
    {
        Assert.Equal("CreateSolutionVersion", (string?)Asl["StartAt"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:createSolutionVersion", (string?)State("CreateSolutionVersion")["Resource"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:describeSolutionVersion", (string?)State("DescribeSolutionVersion")["Resource"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:getSolutionMetrics", (string?)State("GetSolutionMetrics")["Resource"]);
        Assert.Equal("arn:aws:states:::sns:publish", (string?)State("NotifyFailure")["Resource"]);
        Assert.Equal("$.solutionArn", (string?)State("CreateSolutionVersion")["Parameters"]!["SolutionArn.$"]);
    }

    [Fact]
    public void Polls_with_a_bounded_attempt_counter()
    {
        Assert.Equal("Wait", (string?)State("WaitForTraining")["Type"]);
        Assert.Equal("States.MathAdd($.poll.attempts, 1)", (string?)State("CountPoll")["Parameters"]!["attempts.$"]);
        var choice = State("CheckStatus");
        var choices = choice["Choices"]!.AsArray();
        Assert.Equal("ACTIVE", (string?)choices[0]!["StringEquals"]);
        Assert.Equal("GetSolutionMetrics", (string?)choices[0]!["Next"]);
        Assert.Contains("CREATE FAILED", choices[1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("SolutionVersionFailed", (string?)choices[1]!["Next"]);
        Assert.Equal(288, (int)choices[2]!["NumericGreaterThanEquals"]!);
        Assert.Equal("PollAttemptsExhausted", (string?)choices[2]!["Next"]);
        Assert.Equal("WaitForTraining", (string?)choice["Default"]);
    }

    [Fact]
    public void Personalize_tasks_retry_throttling_with_jittered_backoff_and_catch_into_the_alert()
    {
        foreach (var name in new[] { "CreateSolutionVersion", "DescribeSolutionVersion", "GetSolutionMetrics", "DescribeServingCampaign", "GetServedVersionMetrics", "UpdateCampaign", "DescribeCampaign" })
        {
            var retry = State(name)["Retry"]![0]!;
            Assert.Contains("Personalize.LimitExceededException", retry["ErrorEquals"]!.AsArray().Select(e => (string?)e));
            Assert.Equal("FULL", (string?)retry["JitterStrategy"]);
            Assert.Equal(2, (double)retry["BackoffRate"]!);
            Assert.NotNull(retry["MaxDelaySeconds"]);
            var catcher = State(name)["Catch"]![0]!;
            Assert.Equal("States.ALL", (string?)catcher["ErrorEquals"]![0]);
            Assert.Equal(name + "Error", (string?)catcher["Next"]);
            // The catcher's error is recorded with the failed state's name before the alert.
            var record = State(name + "Error");
            Assert.Equal(name, (string?)record["Parameters"]!["State"]);
            Assert.Equal("$.error", (string?)record["ResultPath"]);
            Assert.Equal("NotifyFailure", (string?)record["Next"]);
        }
        Assert.Equal("DescribeSolutionVersion", (string?)State("SolutionVersionFailed")["Parameters"]!["State"]);
        Assert.Equal("CheckStatus", (string?)State("PollAttemptsExhausted")["Parameters"]!["State"]);
        Assert.Equal("$.error.State", (string?)State("NotifyFailure")["Parameters"]!["Message"]!["failedState.$"]);
        Assert.Equal("TrainingFailed", (string?)State("NotifyFailure")["Next"]);
        Assert.Equal("Fail", (string?)State("TrainingFailed")["Type"]);
        Assert.Equal("Succeed", (string?)State("TrainingSucceeded")["Type"]);
    }

    [Fact]
    public void Deploys_the_new_version_to_the_campaign_when_one_is_given_and_polls_the_update()
    {
        Assert.Equal("DeployToCampaign", (string?)State("GetSolutionMetrics")["Next"]);
        var deploy = State("DeployToCampaign");
        Assert.Equal("$.campaignArn", (string?)deploy["Choices"]![0]!["Variable"]);
        Assert.True((bool)deploy["Choices"]![0]!["IsPresent"]!);
        Assert.Equal("DescribeServingCampaign", (string?)deploy["Choices"]![0]!["Next"]);
        // The gate: the served version's metric against the new one's.
        Assert.Equal("$.Campaign.SolutionVersionArn", (string?)State("DescribeServingCampaign")["ResultSelector"]!["solutionVersionArn.$"]);
        Assert.Equal("GetServedVersionMetrics", (string?)State("DescribeServingCampaign")["Next"]);
        Assert.Equal("$.Metrics.normalized_discounted_cumulative_gain_at_10", (string?)State("GetServedVersionMetrics")["ResultSelector"]!["metric.$"]);
        var gate = State("BeatsServedVersion");
        Assert.Equal("$.metrics.values.normalized_discounted_cumulative_gain_at_10", (string?)gate["Choices"]![0]!["Variable"]);
        Assert.Equal("$.served.metric", (string?)gate["Choices"]![0]!["NumericGreaterThanEqualsPath"]);
        Assert.Equal("UpdateCampaign", (string?)gate["Choices"]![0]!["Next"]);
        Assert.Equal("NotPromoted", (string?)gate["Default"]);
        Assert.Equal("Succeed", (string?)State("NotPromoted")["Type"]);
        Assert.Equal("TrainingSucceeded", (string?)deploy["Default"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:updateCampaign", (string?)State("UpdateCampaign")["Resource"]);
        Assert.Equal("$.training.solutionVersionArn", (string?)State("UpdateCampaign")["Parameters"]!["SolutionVersionArn.$"]);
        Assert.Equal("$.Campaign.LatestCampaignUpdate.Status", (string?)State("DescribeCampaign")["ResultSelector"]!["updateStatus.$"]);
        var choices = State("CheckCampaignStatus")["Choices"]!.AsArray();
        Assert.Equal(("ACTIVE", "PointExperiment"), ((string?)choices[0]!["StringEquals"], (string?)choices[0]!["Next"]));
        Assert.Equal(("CREATE FAILED", "CampaignUpdateFailed"), ((string?)choices[1]!["StringEquals"], (string?)choices[1]!["Next"]));
        Assert.Equal(60, (int)choices[2]!["NumericGreaterThanEquals"]!);
        Assert.Equal("WaitForCampaign", (string?)State("CheckCampaignStatus")["Default"]);
    }

    [Fact]
    public void Points_the_experiment_variant_at_the_campaign_and_announces_ModelPromoted()
    {
        var choice = State("PointExperiment");
        Assert.Equal("$.experiment", (string?)choice["Choices"]![0]!["Variable"]);
        Assert.Equal("PointExperimentVariant", (string?)choice["Choices"]![0]!["Next"]);
        Assert.Equal("EmitModelPromoted", (string?)choice["Default"]);
        var update = State("PointExperimentVariant");
        Assert.Equal("arn:aws:states:::dynamodb:updateItem", (string?)update["Resource"]);
        Assert.Equal("$.experiment.key", (string?)update["Parameters"]!["Key"]!["experimentKey"]!["S.$"]);
        Assert.Equal("States.Format('SET variants[{}].campaign = :campaign', $.experiment.variantIndex)", (string?)update["Parameters"]!["UpdateExpression.$"]);
        Assert.Equal("$.campaignArn", (string?)update["Parameters"]!["ExpressionAttributeValues"]![":campaign"]!["S.$"]);
        Assert.Equal("EmitModelPromoted", (string?)update["Next"]);
        var emit = State("EmitModelPromoted");
        Assert.Equal("arn:aws:states:::events:putEvents", (string?)emit["Resource"]);
        Assert.Equal("ModelPromoted", (string?)emit["Parameters"]!["Entries"]![0]!["DetailType"]);
        Assert.Equal("TrainingSucceeded", (string?)emit["Next"]);
        foreach (var name in new[] { "PointExperimentVariant", "EmitModelPromoted" })
        {
            Assert.Equal(name + "Error", (string?)State(name)["Catch"]![0]!["Next"]);
        }

        var policy = synth.AllResources().Single(r => r.LogicalId.StartsWith("TrainingRoleDefaultPolicy", StringComparison.Ordinal)).Resource;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var dynamo = Assert.Single(statements, s => s!["Action"]!.ToJsonString().Contains("dynamodb:", StringComparison.Ordinal))!;
        Assert.Equal("dynamodb:UpdateItem", (string?)dynamo["Action"]);
        Assert.Contains("Experiments", dynamo["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var events = Assert.Single(statements, s => s!["Action"]!.ToJsonString().Contains("events:", StringComparison.Ordinal))!;
        Assert.Equal("events:PutEvents", (string?)events["Action"]);
        Assert.EndsWith(":event-bus/default", AslExtractor.Resolve(events["Resource"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_transition_names_an_existing_state()
    {
        var states = Asl["States"]!.AsObject();
        var targets = states.SelectMany(s => Targets(s.Value!)).ToList();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.True(states.ContainsKey(t), $"unknown state {t}"));
        // Every state is reachable from StartAt.
        var seen = new HashSet<string>();
        var todo = new Stack<string>([(string)Asl["StartAt"]!]);
        while (todo.TryPop(out var name))
        {
            if (seen.Add(name))
            {
                foreach (var t in Targets(states[name]!))
                {
                    todo.Push(t);
                }
            }
        }
        Assert.Equal(states.Count, seen.Count);
    }

    private static IEnumerable<string> Targets(JsonNode state)
    {
        if (state["Next"] is { } next) yield return (string)next!;
        if (state["Default"] is { } def) yield return (string)def!;
        foreach (var c in state["Choices"]?.AsArray() ?? []) yield return (string)c!["Next"]!;
        foreach (var c in state["Catch"]?.AsArray() ?? []) yield return (string)c!["Next"]!;
    }

    [Fact]
    public void Committed_asl_matches_the_synthesized_definition()
    {
        // The local interpreter runs Definitions/training.asl.json; it must be what `cdk synth` deploys.
        var path = Path.Combine(synth.RepoRoot, "workflows", "Pipeline.Workflows", "Definitions", "training.asl.json");
        var current = Asl.ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_ASL") == "1")
        {
            File.WriteAllText(path, current);
        }
        Assert.True(current == File.ReadAllText(path),
            "training.asl.json is stale: run `UPDATE_ASL=1 dotnet test tests/Pipeline.Infra.Tests` and commit it");
        Assert.True(JsonNode.DeepEquals(Asl, TrainingDefinition.Parse()), "the embedded copy differs: rebuild Pipeline.Workflows");
    }

    [Fact]
    public void Asl_tokens_become_placeholders()
    {
        Assert.StartsWith("${Ref:AlertTopic", (string?)State("NotifyFailure")["Parameters"]!["TopicArn"], StringComparison.Ordinal);
    }

    [Fact]
    public void Training_role_is_scoped_to_project_solutions()
    {
        var policy = synth.AllResources().Single(r => r.LogicalId.StartsWith("TrainingRoleDefaultPolicy", StringComparison.Ordinal)).Resource;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Where(s => s!["Action"]!.ToJsonString().Contains("personalize:", StringComparison.Ordinal))
            .ToDictionary(s => AslExtractor.Resolve(s!["Resource"]), s => s!["Action"]!.AsArray().Select(a => (string)a!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, statements.Count);
        var solution = Assert.Single(statements, s => s.Key.EndsWith(":solution/pipeline-*", StringComparison.Ordinal));
        Assert.Equal(["personalize:CreateSolutionVersion", "personalize:DescribeSolutionVersion", "personalize:GetSolutionMetrics"], solution.Value);
        var campaign = Assert.Single(statements, s => s.Key.EndsWith(":campaign/pipeline-*", StringComparison.Ordinal));
        Assert.Equal(["personalize:DescribeCampaign", "personalize:UpdateCampaign"], campaign.Value);
    }
}
