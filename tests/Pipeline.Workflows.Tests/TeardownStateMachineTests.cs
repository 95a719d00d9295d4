using System.Text.Json.Nodes;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Tests;

[Collection(SynthCollection.Name)]
public sealed class TeardownStateMachineTests(SynthFixture synth)
{
    private JsonObject Asl => AslExtractor.Extract(synth.ServiceJson, "Teardown");

    private JsonObject State(string name) => Asl["States"]![name]!.AsObject();

    private static JsonObject Inner(JsonObject map, string name) => map["ItemProcessor"]!["States"]![name]!.AsObject();

    [Fact]
    public void Stages_RunInTheOrderPersonalizeRequires()
    {
        Assert.Equal("ListSolutionsForCampaigns", (string?)Asl["StartAt"]);
        // Each stage's "nothing left" branch leads to the next stage.
        Assert.Equal("ListSolutions", (string?)State("AnySolutionsWithCampaigns")["Default"]);
        Assert.Equal("ListSolutions", (string?)State("DeleteCampaignsOfSolutions")["Next"]);
        Assert.Equal("ListRecommenders", (string?)State("AnySolutionsLeft")["Default"]);
        Assert.Equal("ListEventTrackers", (string?)State("AnyRecommendersLeft")["Default"]);
        Assert.Equal("ListFilters", (string?)State("AnyEventTrackersLeft")["Default"]);
        Assert.Equal("ListMetricAttributions", (string?)State("AnyFiltersLeft")["Default"]);
        // Recommenders and the metric attribution go before the datasets: Personalize keeps a group that still has them.
        Assert.Equal("ListDatasets", (string?)State("AnyMetricAttributionsLeft")["Default"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:listRecommenders", (string?)State("ListRecommenders")["Resource"]);
        Assert.Equal("$.Recommenders", (string?)State("ListRecommenders")["ResultSelector"]!["items.$"]);
        Assert.Equal("$$.Map.Item.Value.MetricAttributionArn", (string?)State("DeleteMetricAttributions")["ItemSelector"]!["arn.$"]);
        Assert.Equal("DeleteDatasetGroup", (string?)State("AnyDatasetsLeft")["Default"]);
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:deleteDatasetGroup", (string?)State("DeleteDatasetGroup")["Resource"]);
        Assert.Equal("$.dataset_group", (string?)State("DeleteDatasetGroup")["Parameters"]!["DatasetGroupArn.$"]);
        Assert.Equal("$.dataset_group", (string?)State("ListSolutions")["Parameters"]!["DatasetGroupArn.$"]);
        // Schemas belong to no group: the group's own ({group}-interactions|items|users) go after it.
        Assert.Equal("NameGroupSchemas", (string?)State("DatasetGroupDeleted")["Next"]);
        Assert.Equal("DeleteSchemas", (string?)State("NameGroupSchemas")["Next"]);
        Assert.Equal("TeardownSucceeded", (string?)State("DeleteSchemas")["Next"]);
    }

    [Fact]
    public void EachDeletion_IsPolledUntilPersonalizeAnswersNotFound()
    {
        var perSolution = State("DeleteCampaignsOfSolutions");
        var campaigns = Inner(perSolution, "DeleteCampaigns");
        Assert.Equal("$$.Map.Item.Value.CampaignArn", (string?)campaigns["ItemSelector"]!["arn.$"]);
        var delete = Inner(campaigns, "DeleteCampaign");
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:deleteCampaign", (string?)delete["Resource"]);
        Assert.Equal("InitCampaignPoll", (string?)delete["Next"]);
        var describe = Inner(campaigns, "DescribeCampaign");
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:describeCampaign", (string?)describe["Resource"]);
        foreach (var task in new[] { delete, describe })
        {
            var catcher = task["Catch"]![0]!;
            Assert.Equal("Personalize.ResourceNotFoundException", (string?)catcher["ErrorEquals"]![0]);
            Assert.Equal("CampaignDeleted", (string?)catcher["Next"]);
        }
        var still = Inner(campaigns, "CampaignStillThere");
        Assert.Equal(120, (int)still["Choices"]![0]!["NumericGreaterThanEquals"]!);
        Assert.Equal("CampaignDeletionTimedOut", (string?)still["Choices"]![0]!["Next"]);
        Assert.Equal("WaitForCampaignDeletion", (string?)still["Default"]);
        Assert.Equal(30, (int)Inner(campaigns, "WaitForCampaignDeletion")["Seconds"]!);
    }

    [Fact]
    public void PersonalizeCalls_RetryThrottlingWithJitteredBackoff()
    {
        var tasks = new List<JsonObject>();
        void Collect(JsonObject states)
        {
            foreach (var (_, state) in states)
            {
                if ((string?)state!["Type"] == "Task" && ((string?)state["Resource"])!.Contains(":personalize:", StringComparison.Ordinal)) tasks.Add(state.AsObject());
                if (state["ItemProcessor"]?["States"] is JsonObject inner) Collect(inner);
            }
        }
        Collect(Asl["States"]!.AsObject());
        Assert.Equal(25, tasks.Count); // 8 kinds × (delete + describe), 8 lists, DeleteSchema
        Assert.All(tasks, task =>
        {
            var retry = task["Retry"]![0]!;
            Assert.Contains("Personalize.LimitExceededException", retry["ErrorEquals"]!.AsArray().Select(e => (string?)e));
            Assert.Equal("FULL", (string?)retry["JitterStrategy"]);
            Assert.Equal(2, (double)retry["BackoffRate"]!);
        });
    }

    [Fact]
    public void Failures_PublishAnAlertNamingTheStateThenFail()
    {
        foreach (var name in new[] { "ListSolutionsForCampaigns", "DeleteCampaignsOfSolutions", "DeleteSolutions", "ListDatasets", "DeleteDatasetGroup", "DescribeDatasetGroup" })
        {
            var catcher = State(name)["Catch"]!.AsArray().Last()!;
            Assert.Equal("States.ALL", (string?)catcher["ErrorEquals"]![0]);
            Assert.Equal(name + "Error", (string?)catcher["Next"]);
            Assert.Equal(name, (string?)State(name + "Error")["Parameters"]!["State"]);
            Assert.Equal("NotifyFailure", (string?)State(name + "Error")["Next"]);
        }
        Assert.Equal("NotifyFailure", (string?)State("DatasetGroupDeletionTimedOut")["Next"]);
        Assert.Equal("arn:aws:states:::sns:publish", (string?)State("NotifyFailure")["Resource"]);
        Assert.Equal("$.error.State", (string?)State("NotifyFailure")["Parameters"]!["Message"]!["failedState.$"]);
        Assert.Equal("TeardownFailed", (string?)State("NotifyFailure")["Next"]);
        Assert.Equal("Fail", (string?)State("TeardownFailed")["Type"]);
    }

    [Fact]
    public void TeardownRole_DeletesOnlyProjectResources()
    {
        var policy = synth.AllResources().Single(r => r.LogicalId.StartsWith("TeardownRoleDefaultPolicy", StringComparison.Ordinal)).Resource;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Where(s => s!["Action"]!.ToJsonString().Contains("personalize:", StringComparison.Ordinal))
            .SelectMany(s => (s!["Resource"] is JsonArray many ? many.Select(r => r!) : [s!["Resource"]!]).Select(r => (Resource: AslExtractor.Resolve(r), Actions: Actions(s!))))
            .ToList();
        // Deletes are scoped by the project prefix (event trackers by id: their ARNs do not carry the name).
        foreach (var (suffix, kind) in new[] { (":campaign/pipeline-*", "Campaign"), (":solution/pipeline-*", "Solution"), (":filter/pipeline-*", "Filter"),
            (":dataset/pipeline-*/*", "Dataset"), (":dataset/pipeline/*", "Dataset"), (":dataset-group/pipeline-*", "DatasetGroup"),
            (":dataset-group/pipeline", "DatasetGroup"), (":event-tracker/*", "EventTracker"),
            (":recommender/pipeline-*", "Recommender"), (":metric-attribution/pipeline-*", "MetricAttribution") })
        {
            var statement = Assert.Single(statements, s => s.Resource.EndsWith(suffix, StringComparison.Ordinal));
            Assert.Equal(["personalize:Delete" + kind, "personalize:Describe" + kind], statement.Actions);
        }
        // Only the List* actions, which have no resource-level permissions, are on "*".
        // (minimizePolicies merges them with the X-Ray and log-delivery actions, which are on "*" too.)
        var onAnyResource = statements.Where(s => s.Resource == "*").SelectMany(s => s.Actions).Where(a => a.StartsWith("personalize:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["personalize:ListCampaigns", "personalize:ListDatasets", "personalize:ListEventTrackers", "personalize:ListFilters",
            "personalize:ListMetricAttributions", "personalize:ListRecommenders", "personalize:ListSolutions"], onAnyResource.Order(StringComparer.Ordinal));
    }

    private static string[] Actions(JsonNode statement) => statement["Action"] switch
    {
        JsonArray a => [.. a.Select(x => (string)x!).Order(StringComparer.Ordinal)],
        var v => [(string)v!],
    };

    [Fact]
    public void CommittedAsl_MatchesTheSynthesizedDefinition()
    {
        // The local interpreter runs Definitions/teardown.asl.json; it must be what `cdk synth` deploys.
        CommittedDefinition.AssertMatches(synth.RepoRoot, "teardown.asl.json", Asl, TeardownDefinition.Parse());
    }
}
