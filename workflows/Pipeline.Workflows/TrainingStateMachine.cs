using Amazon.CDK;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Workflows;

/// <summary>
/// Imports data, trains one solution per recipe, deploys each new version that passes the promotion gate to its
/// campaign and points the experiment's variant for that recipe at it. Input: see <see cref="TrainingInput"/>.
/// <list type="number">
/// <item>ValidateInput: a malformed input ends in NotifyFailure/TrainingFailed naming the field, before any call.</item>
/// <item>The dataset group is created if absent; ImportDatasets (Parallel) creates each given dataset's schema and
/// dataset if absent, runs its import job and polls it.</item>
/// <item>TrainRecipes (Map, all recipes at once): solution <c>{dataset_group}-{recipe}</c> created if absent
/// (ResourceAlreadyExists is not an error: the name is deterministic), a version trained with training_mode and polled,
/// its metrics read; the MetricGate Lambda decides (promote when nothing is served, or when the new version scores at
/// least served + promote_if.min_improvement on promote_if.metric); campaign <c>{dataset_group}-{recipe}</c> created if
/// absent, otherwise updated only when the gate promotes; polled to ACTIVE; then the experiment's
/// variants whose recipe is this recipe are pointed at the campaign (DynamoDB) and ModelPromoted is put on the bus.</item>
/// <item>A recipe that fails does not stop the others; afterwards any failure publishes
/// {stateMachine, execution, input, failedState, error: {State, Error, Cause}} to the alert topic and fails the run.</item>
/// </list>
/// Personalize is called through AWS-SDK service integrations (no glue Lambda); every call retries throttling with
/// full-jitter exponential backoff. The one Lambda is the metric gate: decimal arithmetic that JSONPath ASL lacks.
/// </summary>
public sealed partial class TrainingStateMachine : Construct
{
    private const string AlreadyExists = "Personalize.ResourceAlreadyExistsException";

    private readonly TrainingStateMachineProps _props;
    private readonly Stack _stack;
    private readonly Dictionary<string, string[]> _resources;

    public StateMachine StateMachine { get; }

    public TrainingStateMachine(Construct scope, string id, TrainingStateMachineProps props) : base(scope, id)
    {
        _props = props;
        _stack = Stack.Of(this);
        // Personalize has no dataset-group condition keys, so access is scoped by name prefix. Every Create* used here has
        // a resource type of its own in the Service Authorization Reference (datasetGroup, schema, dataset,
        // datasetImportJob, solution, campaign), so none needs Resource "*".
        var p = props.NamePrefix;
        _resources = new Dictionary<string, string[]>
        {
            ["datasetGroup"] = PersonalizeNames.Arns(_stack, "dataset-group", PersonalizeNames.Groups(p)),
            ["schema"] = PersonalizeNames.Arns(_stack, "schema", PersonalizeNames.GroupChildren(p)),
            ["dataset"] = PersonalizeNames.Arns(_stack, "dataset", PersonalizeNames.Datasets(p)),
            ["importJob"] = PersonalizeNames.Arns(_stack, "dataset-import-job", PersonalizeNames.GroupChildren(p)),
            // solution/NAME-* covers the solution and its versions (solution/NAME/VERSION-ID).
            ["solution"] = PersonalizeNames.Arns(_stack, "solution", PersonalizeNames.GroupChildren(p)),
            ["campaign"] = PersonalizeNames.Arns(_stack, "campaign", PersonalizeNames.GroupChildren(p)),
            // ListDatasetImportJobs has no resource type in the Service Authorization Reference.
            ["any"] = ["*"],
        };

        var notifyAndFail = NotifyAndFail();

        var trainRecipes = TrainRecipes();
        var recordMapError = RecordError("TrainRecipes", notifyAndFail);
        trainRecipes.AddCatch(recordMapError, new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        var recipeFailures = new Pass(this, "CollectRecipeFailures", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["failed"] = JsonPath.ListAt("$.results[?(@.status == 'FAILED')]") },
            ResultPath = "$.recipeFailures",
        });
        // The first recipe that failed names the state; every recipe's outcome stays in $.results.
        var reportRecipeFailure = new Pass(this, "ReportRecipeFailure", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = JsonPath.StringAt("$.recipeFailures.failed[0].error.State"),
                ["Error"] = JsonPath.StringAt("$.recipeFailures.failed[0].error.Error"),
                ["Cause"] = JsonPath.StringAt("$.recipeFailures.failed[0].error.Cause"),
                ["Recipe"] = JsonPath.StringAt("$.recipeFailures.failed[0].recipe"),
            },
            ResultPath = "$.error",
        });
        trainRecipes.Next(recipeFailures).Next(new Choice(this, "AllRecipesSucceeded")
            .When(Condition.IsPresent("$.recipeFailures.failed[0]"), reportRecipeFailure)
            .Otherwise(OnlineGate(new Succeed(this, "TrainingSucceeded"), notifyAndFail)));
        reportRecipeFailure.Next(notifyAndFail);

        var imports = ImportDatasets();
        imports.AddCatch(RecordError("ImportDatasets", notifyAndFail), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        var importFailures = new Pass(this, "CollectImportFailures", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["failed"] = JsonPath.ListAt("$.imports[?(@.status == 'FAILED')]") },
            ResultPath = "$.importFailures",
        });
        var reportImportFailure = new Pass(this, "ReportImportFailure", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = JsonPath.StringAt("$.importFailures.failed[0].error.State"),
                ["Error"] = JsonPath.StringAt("$.importFailures.failed[0].error.Error"),
                ["Cause"] = JsonPath.StringAt("$.importFailures.failed[0].error.Cause"),
            },
            ResultPath = "$.error",
        });
        reportImportFailure.Next(notifyAndFail);
        imports.Next(importFailures).Next(new Choice(this, "ImportsSucceeded")
            .When(Condition.IsPresent("$.importFailures.failed[0]"), reportImportFailure)
            .Otherwise(SkipWithoutTrainingData(TrainInHouseModels(trainRecipes, notifyAndFail), notifyAndFail)));

        var datasetGroup = EnsureDatasetGroup(imports, notifyAndFail);

        // Defaults: the input's members win; promote_if.metric is required when promote_if is given (validated above).
        var applyDefaults = new Pass(this, "ApplyDefaults", new PassProps
        {
            Result = Result.FromObject(new Dictionary<string, object>
            {
                ["training_mode"] = "FULL",
                ["promote_if"] = new Dictionary<string, object> { ["metric"] = TrainingInput.DefaultMetric, ["min_improvement"] = 0 },
                ["import"] = new Dictionary<string, object> { ["mode"] = TrainingInput.DefaultImportMode },
            }),
            ResultPath = "$.defaults",
        });
        var mergeDefaults = new Pass(this, "MergeDefaults", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["config"] = JsonPath.JsonMerge(JsonPath.StringAt("$.defaults"), JsonPath.StringAt("$")) },
            OutputPath = "$.config",
        });
        // JsonMerge is shallow: an input promote_if without min_improvement, or an import without mode, gets the default
        // member merged in here.
        var completeNested = new Pass(this, "CompleteNestedDefaults", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["promote_if"] = JsonPath.JsonMerge(JsonPath.StringAt("$.defaults.promote_if"), JsonPath.StringAt("$.promote_if")),
                ["import"] = JsonPath.JsonMerge(JsonPath.StringAt("$.defaults.import"), JsonPath.StringAt("$.import")),
            },
            ResultPath = "$.completed",
        });
        var mergeNested = new Pass(this, "MergeNestedDefaults", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["config"] = JsonPath.JsonMerge(JsonPath.StringAt("$"), JsonPath.StringAt("$.completed")) },
            OutputPath = "$.config",
        });
        applyDefaults.Next(mergeDefaults).Next(completeNested).Next(mergeNested).Next(SkipWhileAnEarlierRunIsActive(datasetGroup, notifyAndFail));

        var definition = ValidateInput(ValidateOnlineGate(applyDefaults, notifyAndFail), notifyAndFail);

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            // Named, so the machine's own policy can name it (ListExecutions) without a dependency cycle.
            StateMachineName = MachineName(props.NamePrefix),
            DefinitionBody = DefinitionBody.FromChainable(definition),
            StateMachineType = StateMachineType.STANDARD,
            Comment = "Import datasets, train a Personalize solution per recipe, gate on offline metrics, deploy to campaigns and point the experiment's variants",
            // Upper bound: the group and a dataset, an import, a solution, a version and a campaign, one after the
            // other, each polled to its limit, plus an hour for retries; a stuck run cannot live for the default year.
            // An online gate adds up to its max_days, which its settings refuse past MaximumMaxDays.
            Timeout = Duration.Seconds(3 * props.ResourcePoll.MaxTotalSeconds + props.ImportPoll.MaxTotalSeconds
                + props.TrainingPoll.MaxTotalSeconds + props.CampaignPoll.MaxTotalSeconds + 3600 + (long)(Domain.Training.OnlineGate.OnlineGateSettings.MaximumMaxDays * 86400)),
            // Tracing and log delivery add xray:* Put/Get and logs:*LogDelivery actions on Resource "*":
            // those APIs have no resource-level permissions (CDK generates the statement).
            TracingEnabled = true,
            Logs = new LogOptions
            {
                Destination = new LogGroup(this, "Logs", new LogGroupProps
                {
                    // Step Functions adds each log group to the account's CloudWatch Logs resource policy (5,120
                    // characters) unless its name starts with /aws/vendedlogs/ (Step Functions guide, "Avoiding CloudWatch
                    // Logs resource policy size restrictions").
                    LogGroupName = $"/aws/vendedlogs/states/{props.NamePrefix}-training",
                    Retention = RetentionDays.ONE_MONTH,
                    RemovalPolicy = RemovalPolicy.DESTROY,
                }),
                Level = LogLevel.ERROR,
                IncludeExecutionData = false,
            },
        });
    }

    public static string MachineName(string namePrefix) => $"{namePrefix}-training";
}
