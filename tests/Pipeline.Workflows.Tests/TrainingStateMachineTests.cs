using System.Text.Json.Nodes;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Tests;

[Collection(SynthCollection.Name)]
public sealed class TrainingStateMachineTests(SynthFixture synth)
{
    private JsonObject Asl => AslExtractor.Extract(synth.ServiceJson, "Training");

    /// <summary>A state by name anywhere in the machine (top level, Parallel branches, Map processors).</summary>
    private JsonObject State(string name) =>
        Graphs(Asl).Select(g => g["States"]![name]).FirstOrDefault(s => s is not null)?.AsObject()
            ?? throw new KeyNotFoundException($"no state {name}");

    /// <summary>The machine and every nested state graph (each Parallel branch and Map processor).</summary>
    private static IEnumerable<JsonObject> Graphs(JsonObject graph)
    {
        yield return graph;
        foreach (var (_, state) in graph["States"]!.AsObject())
        {
            var nested = (state!["Branches"]?.AsArray().Select(b => b!.AsObject()) ?? [])
                .Concat(state["ItemProcessor"] is JsonObject processor ? [processor] : []);
            foreach (var inner in nested.SelectMany(Graphs))
            {
                yield return inner;
            }
        }
    }

    private IEnumerable<(string Name, JsonObject State)> AllStates() =>
        Graphs(Asl).SelectMany(g => g["States"]!.AsObject().Select(s => (s.Key, s.Value!.AsObject())));

    private static string? Next(JsonObject choice, int rule) => (string?)choice["Choices"]![rule]!["Next"];

    [Fact]
    public void Training_ValidatesTheInputBeforeAnyCallAndFillsInDefaults()
    {
        Assert.Equal("ValidateInput", (string?)Asl["StartAt"]);
        var validate = State("ValidateInput");
        // A valid input goes on to the online gate's settings check (when online_gate is given), then the defaults.
        Assert.Equal("OnlineGateGiven", (string?)validate["Default"]);
        Assert.Equal("ApplyDefaults", (string?)State("OnlineGateGiven")["Default"]);
        Assert.Equal("ValidateOnlineGate", Next(State("OnlineGateGiven"), 0));
        var invalid = validate["Choices"]!.AsArray().Select(c => (string)c!["Next"]!).ToList();
        Assert.Equal(
            ["InvalidInputDatasetGroup", "InvalidInputRecipes", "InvalidInputTrainingMode", "InvalidInputImport", "InvalidInputImportInteractions",
             "InvalidInputImportItems", "InvalidInputImportUsers", "InvalidInputImportMode", "InvalidInputOnlineGateExperiment", "InvalidInputPromotionMetric", "InvalidInputMinImprovement"], invalid);
        Assert.All(invalid, name =>
        {
            Assert.Equal("ValidateInput", (string?)State(name)["Parameters"]!["State"]);
            Assert.Equal("Pipeline.InvalidInput", (string?)State(name)["Parameters"]!["Error"]);
            Assert.Equal("NotifyFailure", (string?)State(name)["Next"]);
        });
        var defaults = State("ApplyDefaults")["Result"]!;
        Assert.Equal("FULL", (string?)defaults["training_mode"]);
        Assert.Equal("normalized_discounted_cumulative_gain_at_10", (string?)defaults["promote_if"]!["metric"]);
        Assert.Equal(0, (int)defaults["promote_if"]!["min_improvement"]!);
        Assert.Equal("FULL", (string?)defaults["import"]!["mode"]);
        Assert.Equal("States.JsonMerge($.defaults, $, false)", (string?)State("MergeDefaults")["Parameters"]!["config.$"]);
        Assert.Equal("CompleteNestedDefaults", (string?)State("MergeDefaults")["Next"]);
        // JsonMerge is shallow, so promote_if's own defaults (min_improvement) are merged in a second step.
        Assert.Equal("States.JsonMerge($.defaults.promote_if, $.promote_if, false)", (string?)State("CompleteNestedDefaults")["Parameters"]!["promote_if.$"]);
        Assert.Equal("States.JsonMerge($.defaults.import, $.import, false)", (string?)State("CompleteNestedDefaults")["Parameters"]!["import.$"]);
        Assert.Equal("States.JsonMerge($, $.completed, false)", (string?)State("MergeNestedDefaults")["Parameters"]!["config.$"]);
        Assert.Equal("FindRunningExecutions", (string?)State("MergeNestedDefaults")["Next"]);
    }

    [Fact]
    public void Training_CreatesTheDatasetGroupIfAbsentThenImportsTheGivenDatasetsInParallel()
    {
        var create = State("CreateDatasetGroup");
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:createDatasetGroup", (string?)create["Resource"]);
        Assert.Equal(("Personalize.ResourceAlreadyExistsException", "InitDatasetGroupPoll"),
            ((string?)create["Catch"]![0]!["ErrorEquals"]![0], (string?)create["Catch"]![0]!["Next"]));
        Assert.Equal("ImportDatasets", Next(State("CheckDatasetGroupStatus"), 0));

        var parallel = State("ImportDatasets");
        Assert.Equal("Parallel", (string?)parallel["Type"]);
        Assert.Equal(["HasInteractionsImport", "HasItemsImport", "HasUsersImport"], parallel["Branches"]!.AsArray().Select(b => (string?)b!["StartAt"]));
        Assert.Equal("$.import.interactions", (string?)State("HasInteractionsImport")["Choices"]![0]!["Variable"]);
        Assert.Equal("SkipInteractionsImport", (string?)State("HasInteractionsImport")["Default"]);
        // Schema and dataset are created if absent; an existing one is not an error.
        foreach (var name in new[] { "CreateInteractionsSchema", "CreateInteractionsDataset" })
        {
            Assert.Equal("Personalize.ResourceAlreadyExistsException", (string?)State(name)["Catch"]![0]!["ErrorEquals"]![0]);
        }
        Assert.Contains("USER_ID", (string?)State("CreateInteractionsSchema")["Parameters"]!["Schema"], StringComparison.Ordinal);
        var import = State("ImportInteractions");
        Assert.Equal("arn:aws:states:::aws-sdk:personalize:createDatasetImportJob", (string?)import["Resource"]);
        Assert.Equal("$.import.interactions", (string?)import["Parameters"]!["DataSource"]!["DataLocation.$"]);
        // CreateDatasetImportJob's importMode: the input's import.mode (FULL unless INCREMENTAL is asked for).
        Assert.Equal("$.import.mode", (string?)import["Parameters"]!["ImportMode.$"]);
        Assert.Equal("States.Format('arn:aws:personalize:us-east-1:000000000000:dataset/{}/INTERACTIONS', $.dataset_group)", (string?)import["Parameters"]!["DatasetArn.$"]);
        Assert.Contains("PersonalizeRole", (string?)import["Parameters"]!["RoleArn"], StringComparison.Ordinal);
        // Failures end the branch with an outcome instead of failing the Parallel; the top level reports the first.
        Assert.Equal("ImportInteractionsError", (string?)State("ImportInteractions")["Catch"]![0]!["Next"]);
        Assert.Equal("InteractionsNotImported", (string?)State("ImportInteractionsError")["Next"]);
        Assert.Equal("$.imports[?(@.status == 'FAILED')]", (string?)State("CollectImportFailures")["Parameters"]!["failed.$"]);
        Assert.Equal("ReportImportFailure", Next(State("ImportsSucceeded"), 0));
        // Then the data check (a group with nothing to train on ends SKIPPED), the in-house models from the same import,
        // then the Personalize solutions.
        Assert.Equal("FindTrainingDataset", (string?)State("ImportsSucceeded")["Default"]);
        Assert.Equal("TrainInHouseModels", (string?)State("HasTrainingData")["Choices"]![0]!["Next"]);
        Assert.Equal("NoTrainingData", (string?)State("HasTrainingData")["Default"]);
        Assert.Equal("TrainRecipes", (string?)State("InHouseModelsTrained")["Default"]);
    }

    [Fact]
    public void Training_PollsWithBoundedAttemptsAndADoublingCappedWait()
    {
        Assert.Equal("$.interactionsImportPoll.seconds", (string?)State("WaitForInteractionsImport")["SecondsPath"]);
        Assert.Equal("BackoffInteractionsImport", (string?)State("WaitForInteractionsImport")["Next"]);
        Assert.Equal("States.MathAdd($.interactionsImportPoll.seconds, $.interactionsImportPoll.seconds)",
            (string?)State("DoubleInteractionsImportDelay")["Parameters"]!["seconds.$"]);
        Assert.Equal(300, (int)State("ClampInteractionsImportDelay")["Parameters"]!["seconds"]!);
        Assert.Equal("States.MathAdd($.versionPoll.attempts, 1)", (string?)State("CountSolutionVersionPoll")["Parameters"]!["attempts.$"]);
        var check = State("CheckSolutionVersionStatus");
        Assert.Equal(("ACTIVE", "GetSolutionMetrics"), ((string?)check["Choices"]![0]!["StringEquals"], Next(check, 0)));
        Assert.Contains("CREATE FAILED", check["Choices"]![1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("CREATE STOPPED", check["Choices"]![1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("SolutionVersionFailed", Next(check, 1));
        Assert.Equal(288, (int)check["Choices"]![2]!["NumericGreaterThanEquals"]!);
        Assert.Equal("SolutionVersionPollExhausted", Next(check, 2));
        Assert.Equal("WaitForSolutionVersion", (string?)check["Default"]);
        Assert.Equal("DescribeSolutionVersion", (string?)State("SolutionVersionFailed")["Parameters"]!["State"]);
    }

    [Fact]
    public void Training_TrainsEveryRecipeInAMapCreatingItsSolutionIfAbsent()
    {
        var map = State("TrainRecipes");
        Assert.Equal("Map", (string?)map["Type"]);
        Assert.Equal("$.recipes", (string?)map["ItemsPath"]);
        Assert.Equal("$$.Map.Item.Value", (string?)map["ItemSelector"]!["recipe.$"]);
        Assert.Equal("NameRecipeResources", (string?)map["ItemProcessor"]!["StartAt"]);
        Assert.Equal("TrainRecipesError", (string?)map["Catch"]![0]!["Next"]);
        var names = State("NameRecipeResources")["Parameters"]!;
        Assert.Equal("States.Format('{}-{}', $.config.dataset_group, $.recipe)", (string?)names["solutionName.$"]);
        Assert.Equal("States.Format('arn:aws:personalize:us-east-1:000000000000:campaign/{}-{}', $.config.dataset_group, $.recipe)", (string?)names["campaignArn.$"]);
        var create = State("CreateSolution");
        Assert.Equal(("Personalize.ResourceAlreadyExistsException", "InitSolutionPoll"),
            ((string?)create["Catch"]![0]!["ErrorEquals"]![0], (string?)create["Catch"]![0]!["Next"]));
        Assert.Equal("CreateSolutionVersion", Next(State("CheckSolutionStatus"), 0));
        Assert.Equal("$.config.training_mode", (string?)State("CreateSolutionVersion")["Parameters"]!["TrainingMode.$"]);
        // One recipe failing does not stop the others: its iteration ends with an outcome, reported after the Map.
        Assert.Equal("FAILED", (string?)State("RecipeFailed")["Parameters"]!["status"]);
        Assert.Equal("$.results[?(@.status == 'FAILED')]", (string?)State("CollectRecipeFailures")["Parameters"]!["failed.$"]);
        Assert.Equal("ReportRecipeFailure", Next(State("AllRecipesSucceeded"), 0));
        // Without online_gate the run ends there; with it, the challenger enters the experiment first.
        Assert.Equal("OnlineGateRequested", (string?)State("AllRecipesSucceeded")["Default"]);
        Assert.Equal("TrainingSucceeded", (string?)State("OnlineGateRequested")["Default"]);
        Assert.Equal("EnterChallenger", Next(State("OnlineGateRequested"), 0));
    }

    [Fact]
    public void Training_CreatesTheCampaignIfAbsentElseUpdatesItWhenTheNewVersionPassesTheGate()
    {
        var served = State("DescribeServingCampaign");
        Assert.Equal(("Personalize.ResourceNotFoundException", "NothingServed"),
            ((string?)served["Catch"]![0]!["ErrorEquals"]![0], (string?)served["Catch"]![0]!["Next"]));
        // No campaign: the gate gets served = null.
        Assert.Equal("$.servedMetrics", (string?)State("NothingServed")["ResultPath"]);
        Assert.Equal("States.StringToJson('null')", (string?)State("NothingServed")["Parameters"]!["values.$"]);
        Assert.Equal("MetricGate", (string?)State("NothingServed")["Next"]);
        Assert.Equal("MetricGate", (string?)State("GetServedVersionMetrics")["Next"]);

        var gate = State("MetricGate");
        Assert.Equal("arn:aws:states:::lambda:invoke", (string?)gate["Resource"]);
        Assert.StartsWith("${GetAtt:MetricGateFunction", (string?)gate["Parameters"]!["FunctionName"], StringComparison.Ordinal);
        var payload = gate["Parameters"]!["Payload"]!;
        Assert.Equal("$.config.promote_if.metric", (string?)payload["metric.$"]);
        Assert.Equal("$.config.promote_if.min_improvement", (string?)payload["min_improvement.$"]);
        Assert.Equal("$.metrics.values", (string?)payload["candidate.$"]);
        Assert.Equal("$.servedMetrics.values", (string?)payload["served.$"]);
        Assert.Equal("$.gate", (string?)gate["ResultPath"]);
        Assert.Equal("$.Payload.promote", (string?)gate["ResultSelector"]!["promote.$"]);
        Assert.Equal("MetricGateError", (string?)gate["Catch"]![0]!["Next"]);
        Assert.Equal("GateDecision", (string?)gate["Next"]);

        var decision = State("GateDecision");
        Assert.Equal(("$.gate.error", "MetricGateFailed"), ((string?)decision["Choices"]![0]!["Variable"], Next(decision, 0)));
        Assert.Equal("UpdateCampaign", Next(decision, 1));
        Assert.Contains("\"IsPresent\":true", decision["Choices"]![1]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("CreateCampaign", Next(decision, 2));
        Assert.Equal("NotPromoted", (string?)decision["Default"]);
        Assert.Equal(("MetricGate", "$.gate.error", "$.gate.reason"),
            ((string?)State("MetricGateFailed")["Parameters"]!["State"], (string?)State("MetricGateFailed")["Parameters"]!["Error.$"], (string?)State("MetricGateFailed")["Parameters"]!["Cause.$"]));
        Assert.Equal("RecipeFailed", (string?)State("MetricGateFailed")["Next"]);
        Assert.Equal("$.gate.reason", (string?)State("NotPromoted")["Parameters"]!["reason.$"]);

        Assert.Equal("InitNewCampaignPoll", (string?)State("CreateCampaign")["Next"]);
        Assert.Equal("$.Campaign.Status", (string?)State("DescribeNewCampaign")["ResultSelector"]!["status.$"]);
        Assert.Equal("$.Campaign.LatestCampaignUpdate.Status", (string?)State("DescribeCampaignUpdate")["ResultSelector"]!["status.$"]);
        Assert.Equal("InitCampaignUpdatePoll", (string?)State("UpdateCampaign")["Next"]);
        Assert.Equal("HasExperiment", Next(State("CheckCampaignUpdateStatus"), 0));
        Assert.Equal("HasExperiment", Next(State("CheckNewCampaignStatus"), 0));
    }

    [Fact]
    public void PersonalizeTasks_RetryThrottlingWithJitteredBackoffAndCatchIntoTheAlert()
    {
        var personalize = AllStates().Where(s => ((string?)s.State["Resource"])?.StartsWith("arn:aws:states:::aws-sdk:personalize:", StringComparison.Ordinal) == true).ToList();
        Assert.True(personalize.Count >= 20, $"{personalize.Count} Personalize tasks");
        foreach (var (name, state) in personalize)
        {
            var retry = state["Retry"]![0]!;
            Assert.Contains("Personalize.LimitExceededException", retry["ErrorEquals"]!.AsArray().Select(e => (string?)e));
            Assert.Equal("FULL", (string?)retry["JitterStrategy"]);
            Assert.Equal(2, (double)retry["BackoffRate"]!);
            Assert.NotNull(retry["MaxDelaySeconds"]);
            var catcher = state["Catch"]!.AsArray()[^1]!;
            Assert.Equal("States.ALL", (string?)catcher["ErrorEquals"]![0]);
            Assert.Equal(name + "Error", (string?)catcher["Next"]);
            // The catcher's error is recorded with the failed state's name before the alert.
            Assert.Equal(name, (string?)State(name + "Error")["Parameters"]!["State"]);
            Assert.Equal("$.error", (string?)State(name + "Error")["ResultPath"]);
        }
        Assert.Equal("$.error.State", (string?)State("NotifyFailure")["Parameters"]!["Message"]!["failedState.$"]);
        Assert.Equal("$$.Execution.Input", (string?)State("NotifyFailure")["Parameters"]!["Message"]!["input.$"]);
        Assert.Equal("TrainingFailed", (string?)State("NotifyFailure")["Next"]);
        Assert.Equal("Fail", (string?)State("TrainingFailed")["Type"]);
    }

    [Fact]
    public void Training_PointsTheExperimentsVariantsForTheRecipeAtTheCampaignAndAnnouncesModelPromoted()
    {
        var has = State("HasExperiment");
        Assert.Equal("$.config.experiment", (string?)has["Choices"]![0]!["Variable"]);
        Assert.Equal("GetExperiment", Next(has, 0));
        Assert.Equal("EmitModelPromoted", (string?)has["Default"]);
        Assert.Equal("arn:aws:states:::dynamodb:getItem", (string?)State("GetExperiment")["Resource"]);
        Assert.Equal("PointVariants", Next(State("ExperimentFound"), 0));
        Assert.Equal("ExperimentNotFound", (string?)State("ExperimentFound")["Default"]);
        var variants = State("PointVariants");
        Assert.Equal("$.experimentItem.Item.variants.L", (string?)variants["ItemsPath"]);
        Assert.Equal("$$.Map.Item.Index", (string?)variants["ItemSelector"]!["index.$"]);
        var match = State("IsVariantOfRecipe")["Choices"]![0]!["And"]!.AsArray()[1]!;
        Assert.Equal(("$.variant.M.recipe.S", "$.recipe"), ((string?)match["Variable"], (string?)match["StringEqualsPath"]));
        var update = State("PointExperimentVariant");
        Assert.Equal("arn:aws:states:::dynamodb:updateItem", (string?)update["Resource"]);
        Assert.Equal("States.Format('SET variants[{}].campaign = :campaign', $.index)", (string?)update["Parameters"]!["UpdateExpression.$"]);
        Assert.Equal("$.campaignArn", (string?)update["Parameters"]!["ExpressionAttributeValues"]![":campaign"]!["S.$"]);
        Assert.Equal("EmitModelPromoted", (string?)variants["Next"]);
        var emit = State("EmitModelPromoted");
        Assert.Equal("arn:aws:states:::events:putEvents", (string?)emit["Resource"]);
        Assert.Equal("ModelPromoted", (string?)emit["Parameters"]!["Entries"]![0]!["DetailType"]);
        Assert.Equal("RecipePromoted", (string?)emit["Next"]);

        var statements = TrainingPolicy();
        var dynamo = statements.Where(s => s["Action"]!.ToJsonString().Contains("dynamodb:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["dynamodb:GetItem", "dynamodb:UpdateItem"], dynamo.SelectMany(Actions).Order(StringComparer.Ordinal));
        Assert.All(dynamo, s => Assert.Contains("Experiments", s["Resource"]!.ToJsonString(), StringComparison.Ordinal));
        var events = Assert.Single(statements, s => s["Action"]!.ToJsonString().Contains("events:", StringComparison.Ordinal));
        Assert.Equal(["events:PutEvents"], Actions(events));
        Assert.EndsWith(":event-bus/default", AslExtractor.Resolve(events["Resource"]), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTransition_NamesAnExistingStateOfItsGraph()
    {
        foreach (var graph in Graphs(Asl))
        {
            var states = graph["States"]!.AsObject();
            var targets = states.SelectMany(s => Targets(s.Value!)).ToList();
            Assert.All(targets, t => Assert.True(states.ContainsKey(t), $"unknown state {t}"));
            // Every state is reachable from StartAt.
            var seen = new HashSet<string>();
            var todo = new Stack<string>([(string)graph["StartAt"]!]);
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
            Assert.Equal(states.Select(s => s.Key).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        }
    }

    private static IEnumerable<string> Targets(JsonNode state)
    {
        if (state["Next"] is { } next) yield return (string)next!;
        if (state["Default"] is { } def) yield return (string)def!;
        foreach (var c in state["Choices"]?.AsArray() ?? []) yield return (string)c!["Next"]!;
        foreach (var c in state["Catch"]?.AsArray() ?? []) yield return (string)c!["Next"]!;
    }

    private static List<string> Actions(JsonObject statement) =>
        statement["Action"] is JsonArray list ? [.. list.Select(a => (string)a!)] : [(string)statement["Action"]!];

    private List<JsonObject> TrainingPolicy()
    {
        var policy = synth.AllResources().Single(r => r.LogicalId.StartsWith("TrainingRoleDefaultPolicy", StringComparison.Ordinal)).Resource;
        return [.. policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject())];
    }

    [Fact]
    public void Run_GoesOnOnlyAsTheOldestRunningExecutionOfItsOwnMachine()
    {
        var find = State("FindRunningExecutions");
        var choice = State((string)find["Next"]!);

        Assert.Equal("arn:aws:states:::aws-sdk:sfn:listExecutions", (string?)find["Resource"]);
        Assert.Equal("$$.StateMachine.Id", (string?)find["Parameters"]!["StateMachineArn.$"]);
        Assert.Equal("RUNNING", (string?)find["Parameters"]!["StatusFilter"]);
        Assert.Equal("$.runs.oldest.ExecutionArn", (string?)choice["Choices"]![0]!["Variable"]);
        Assert.Equal("$.runs.self", (string?)choice["Choices"]![0]!["StringEqualsPath"]);
        Assert.Equal("CreateDatasetGroup", Next(choice, 0));
        Assert.Equal("SKIPPED", (string?)State((string)choice["Default"]!)["Parameters"]!["status"]);
        // ListExecutions on this machine only: it is named, so its ARN needs no reference to itself.
        var list = Assert.Single(TrainingPolicy(), s => Actions(s).Contains("states:ListExecutions"));
        Assert.Equal($"arn:aws:states:us-east-1:000000000000:stateMachine:{TrainingStateMachine.MachineName("pipeline")}", AslExtractor.Resolve(list["Resource"]));
    }

    [Fact]
    public void CommittedAsl_MatchesTheSynthesizedDefinition()
    {
        // The local interpreter runs Definitions/training.asl.json; it must be what `cdk synth` deploys.
        CommittedDefinition.AssertMatches(synth.RepoRoot, "training.asl.json", Asl, TrainingDefinition.Parse());
    }

    [Fact]
    public void AslTokens_BecomePlaceholders()
    {
        Assert.StartsWith("${Ref:AlertTopic", (string?)State("NotifyFailure")["Parameters"]!["TopicArn"], StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingRole_IsScopedToTheProjectsPersonalizeResources()
    {
        var personalize = TrainingPolicy().Where(s => s["Action"]!.ToJsonString().Contains("personalize:", StringComparison.Ordinal)).ToList();
        // ListDatasetImportJobs (the data check) has no resource type: the one Personalize action on "*".
        var onAnyResource = Assert.Single(personalize, s => s["Resource"] is JsonValue v && (string?)v == "*");
        Assert.Equal(["personalize:ListDatasetImportJobs"], Actions(onAnyResource).Where(a => a.StartsWith("personalize:", StringComparison.Ordinal)));
        var statements = personalize.Where(s => s != onAnyResource).ToList();
        var byResource = new Dictionary<string, HashSet<string>>();
        foreach (var statement in statements)
        {
            var resources = statement["Resource"] is JsonArray many ? many.Select(r => AslExtractor.Resolve(r)).ToList() : [AslExtractor.Resolve(statement["Resource"])];
            var actions = Actions(statement);
            foreach (var resource in resources)
            {
                Assert.StartsWith("arn:aws:personalize:us-east-1:000000000000:", resource, StringComparison.Ordinal);
                (byResource.TryGetValue(resource, out var set) ? set : byResource[resource] = []).UnionWith(actions);
            }
        }
        // PersonalizeNames: groups "pipeline" and "pipeline-*", datasets under them, everything else "pipeline-*".
        string Key(string type, string name = "pipeline-*") => $"arn:aws:personalize:us-east-1:000000000000:{type}/{name}";
        Assert.Equal(new[] { Key("campaign"), Key("dataset", "pipeline/*"), Key("dataset"), Key("dataset-group", "pipeline"), Key("dataset-group"), Key("dataset-import-job"), Key("schema"), Key("solution") }
            .Select(k => k.Replace("dataset/pipeline-*", "dataset/pipeline-*/*", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            byResource.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("personalize:CreateSolutionVersion", byResource[Key("solution")]);
        Assert.Contains("personalize:UpdateCampaign", byResource[Key("campaign")]);
        Assert.Contains("personalize:CreateDatasetImportJob", byResource[Key("dataset-import-job")]);
        Assert.DoesNotContain("personalize:CreateSolutionVersion", byResource[Key("campaign")]);
        // CreateDatasetImportJob hands Personalize the data stack's role, and only that one.
        var passRole = Assert.Single(TrainingPolicy(), s => s["Action"]!.ToJsonString().Contains("iam:PassRole", StringComparison.Ordinal));
        Assert.Contains("PersonalizeRole", passRole["Resource"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
