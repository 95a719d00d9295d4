using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;
using Constructs;
using Pipeline.DeploymentContract;
using Parallel = Amazon.CDK.AWS.StepFunctions.Parallel;

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

    /// <summary>The Task state that invokes the metric gate Lambda (the local stack registers its handler under that state's FunctionName).</summary>
    public const string MetricGateState = Definitions.TrainingDefinition.MetricGateState;

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

    private string Arn(string resource, string name) =>
        _stack.FormatArn(new ArnComponents { Service = "personalize", Resource = resource, ResourceName = name });

    /// <summary>A States.Format template for the ARN of a named resource, e.g. <c>arn:aws:personalize:REGION:ACCOUNT:solution/{}</c>.</summary>
    private string ArnTemplate(string resource, string nameTemplate) => Arn(resource, nameTemplate);

    // ---- input validation ----

    private IChainable ValidateInput(IChainable valid, IChainable notifyAndFail)
    {
        var choice = new Choice(this, "ValidateInput", new ChoiceProps { Comment = "Malformed input fails before any call" });
        void Rule(string name, Condition invalid, string cause)
        {
            var pass = new Pass(this, "InvalidInput" + name, new PassProps
            {
                Parameters = new Dictionary<string, object> { ["State"] = "ValidateInput", ["Error"] = "Pipeline.InvalidInput", ["Cause"] = cause },
                ResultPath = "$.error",
            });
            pass.Next(notifyAndFail);
            choice.When(invalid, pass);
        }
        static Condition Present(string path) => Condition.IsPresent(path);
        static Condition Absent(string path) => Condition.Not(Condition.IsPresent(path));

        Rule("DatasetGroup", Condition.Or(Absent("$.dataset_group"), Condition.Not(Condition.IsString("$.dataset_group"))),
            "dataset_group is required: the name of the Personalize dataset group");
        Rule("Recipes", Condition.Or(Absent("$.recipes[0]"), Condition.Not(Condition.IsString("$.recipes[0]"))),
            "recipes is required: a non-empty array of recipe names, e.g. [\"aws-user-personalization\"]");
        Rule("TrainingMode", Condition.And(Present("$.training_mode"), Condition.Or(
                Condition.Not(Condition.IsString("$.training_mode")),
                Condition.Not(Condition.Or(Condition.StringEquals("$.training_mode", "FULL"), Condition.StringEquals("$.training_mode", "UPDATE"))))),
            "training_mode must be FULL or UPDATE");
        // The defaults are merged into import with States.JsonMerge, which fails the run (uncaught) on anything but an
        // object; ASL has no IsObject test, so every other JSON type is ruled out (an empty array excepted).
        Rule("Import", Condition.And(Present("$.import"), Condition.Or(
                Condition.IsString("$.import"), Condition.IsNumeric("$.import"), Condition.IsBoolean("$.import"),
                Condition.IsNull("$.import"), Present("$.import[0]"))),
            "import must be an object: {interactions?, items?, users?, mode?}");
        foreach (var (key, _) in TrainingInput.Datasets)
        {
            Rule("Import" + char.ToUpperInvariant(key[0]) + key[1..], Condition.And(Present("$.import." + key), Condition.Not(Condition.IsString("$.import." + key))),
                $"import.{key} must be a string: the s3:// location of the {key} CSV");
        }
        Rule("ImportMode", Condition.And(Present("$.import.mode"), Condition.Or(
                Condition.Not(Condition.IsString("$.import.mode")),
                Condition.Not(Condition.Or([.. TrainingInput.ImportModes.Select(m => Condition.StringEquals("$.import.mode", m))])))),
            "import.mode must be " + string.Join(" or ", TrainingInput.ImportModes) + " (Personalize's importMode: FULL replaces the dataset's bulk data, INCREMENTAL appends to it)");
        // Checked for presence and type first: a comparison on a missing or non-string member is a runtime error.
        Rule("OnlineGateExperiment", Condition.And(Present("$.online_gate"), Condition.Or(Absent("$.experiment"), Condition.Not(Condition.IsString("$.experiment")))),
            "online_gate needs experiment: the key of the running experiment the challenger enters");
        Rule("PromotionMetric", Condition.And(Present("$.promote_if"), Condition.Or(
                Absent("$.promote_if.metric"),
                Condition.Not(Condition.IsString("$.promote_if.metric")),
                Condition.Not(Condition.Or([.. TrainingInput.PromotionMetrics.Select(m => Condition.StringEquals("$.promote_if.metric", m))])))),
            "promote_if.metric must be one of " + string.Join(", ", TrainingInput.PromotionMetrics));
        // Any non-negative decimal: the MetricGate Lambda adds it to the served score (ASL's States.MathAdd rounds to integers).
        Rule("MinImprovement", Condition.And(Present("$.promote_if.min_improvement"),
                Condition.Not(Condition.And(Condition.IsNumeric("$.promote_if.min_improvement"), Condition.NumberGreaterThanEquals("$.promote_if.min_improvement", 0)))),
            "promote_if.min_improvement must be a number >= 0 (a new version is promoted when it scores at least served + min_improvement)");
        choice.Otherwise(valid);
        return choice;
    }

    // ---- failure reporting ----

    // $$.Execution.Input rather than input fields: the alert must go out even when the input is malformed.
    private IChainable NotifyAndFail() =>
        FailureStates.NotifyThenFail(this, _props.AlertTopic, "Pipeline training failed", "TrainingFailed", "input", "$$.Execution.Input");

    private Pass RecordError(string stateName, IChainable next) => FailureStates.RecordError(this, stateName, next);

    /// <summary>
    /// Retries the service's throttling (Personalize's unless <paramref name="throttling"/> names another service's) with
    /// full-jitter exponential backoff; any other error is recorded and goes to onFailure.
    /// </summary>
    private T Guard<T>(T task, IChainable onFailure, string[]? throttling = null) where T : TaskStateBase
    {
        task.AddRetry(FailureStates.ThrottlingRetry(throttling));
        task.AddCatch(RecordError(task.Id, onFailure), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        return task;
    }

    private CallAwsService Personalize(string id, string action, Dictionary<string, object> parameters, string resources,
        Dictionary<string, object>? resultSelector, string resultPath, PolicyStatement[]? additional = null) =>
        new(this, id, new CallAwsServiceProps
        {
            Service = "personalize",
            Action = action,
            IamAction = "personalize:" + char.ToUpperInvariant(action[0]) + action[1..],
            Parameters = parameters,
            IamResources = resources.Split(',').SelectMany(r => _resources[r]).ToArray(),
            ResultSelector = resultSelector,
            ResultPath = resultPath,
            AdditionalIamStatements = additional,
        });

    private static Dictionary<string, object> StatusOf(string member) => new()
    {
        ["status"] = JsonPath.StringAt($"$.{member}.Status"),
        ["resource"] = JsonPath.StringAt($"$.{member}"),
    };

    public static string MachineName(string namePrefix) => $"{namePrefix}-training";

    // ---- one run at a time ----

    /// <summary>
    /// Nightly runs start 24 h apart and one may last up to the machine's timeout (about 34 h), and a run can be started
    /// by hand at any time: a run that finds an older RUNNING execution of this machine ends SUCCEEDED with
    /// <c>{"status": "SKIPPED"}</c> and no alert, instead of importing into and training the same group beside it.
    /// The oldest running execution goes on (ListExecutions lists the newest first), so of two runs started together
    /// exactly one trains. A deployment's machine trains the project's group, so one run per machine is one per group.
    /// </summary>
    private IChainable SkipWhileAnEarlierRunIsActive(IChainable next, IChainable notifyAndFail)
    {
        var executions = JsonPath.ListAt("$.Executions");
        var list = Guard(new CallAwsService(this, "FindRunningExecutions", new CallAwsServiceProps
        {
            Service = "sfn",
            Action = "listExecutions",
            IamAction = "states:ListExecutions",
            IamResources = [_stack.FormatArn(new ArnComponents
            {
                Service = "states", Resource = "stateMachine", ResourceName = MachineName(_props.NamePrefix), ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
            })],
            Parameters = new Dictionary<string, object>
            {
                ["StateMachineArn"] = JsonPath.StringAt("$$.StateMachine.Id"),
                ["StatusFilter"] = "RUNNING",
                ["MaxResults"] = 1000,
            },
            ResultSelector = new Dictionary<string, object>
            {
                ["oldest"] = JsonPath.ArrayGetItem(executions, Token.AsNumber(JsonPath.MathAdd(Token.AsNumber(JsonPath.ArrayLength(executions)), -1))),
                ["self"] = JsonPath.StringAt("$$.Execution.Id"),
            },
            ResultPath = "$.runs",
        }), notifyAndFail, ThrottlingErrors.StepFunctions);
        var skipped = new Pass(this, "EarlierRunActive", new PassProps
        {
            Comment = "Another run is training: not a failure, so no alert",
            Parameters = new Dictionary<string, object>
            {
                ["status"] = "SKIPPED",
                ["reason"] = "an earlier run of this state machine is still running",
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
                ["running"] = JsonPath.StringAt("$.runs.oldest.ExecutionArn"),
            },
        });
        skipped.Next(new Succeed(this, "SkippedForEarlierRun"));
        list.Next(new Choice(this, "IsOldestRun")
            .When(Condition.StringEqualsJsonPath("$.runs.oldest.ExecutionArn", "$.runs.self"), next)
            .Otherwise(skipped));
        return list;
    }

    // ---- dataset group and imports ----

    /// <summary>
    /// A group with no interactions yet (a fresh deployment's nightly run, before anyone imported) has nothing to train:
    /// the run ends SUCCEEDED with <c>{"status": "SKIPPED", "reason", "dataset_group"}</c> and no alert. "Has data" means
    /// an ACTIVE import job on the group's Interactions dataset (this run's or an earlier one's): Personalize trains only
    /// on a dataset that holds at least 1,000 interactions, and the deploy guide's first training imports them.
    /// </summary>
    private IChainable SkipWithoutTrainingData(IChainable train, IChainable notifyAndFail)
    {
        var datasetArn = JsonPath.Format(ArnTemplate("dataset", "{}/INTERACTIONS"), JsonPath.StringAt("$.dataset_group"));
        var skipped = new Pass(this, "NoTrainingData", new PassProps
        {
            Comment = "Nothing to train on: not a failure, so no alert",
            Parameters = new Dictionary<string, object>
            {
                ["status"] = "SKIPPED",
                ["reason"] = "the dataset group has no imported interactions yet",
                ["dataset_group"] = JsonPath.StringAt("$.dataset_group"),
            },
        });
        skipped.Next(new Succeed(this, "TrainingSkipped"));

        var describe = Personalize("FindTrainingDataset", "describeDataset",
            new() { ["DatasetArn"] = datasetArn }, "dataset", new() { ["arn"] = JsonPath.StringAt("$.Dataset.DatasetArn") }, "$.interactionsDataset");
        describe.AddCatch(skipped, new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        Guard(describe, notifyAndFail);
        var imports = Guard(Personalize("ListTrainingImports", "listDatasetImportJobs",
            new() { ["DatasetArn"] = datasetArn, ["MaxResults"] = 100 }, "any",
            new() { ["active"] = JsonPath.ListAt("$.DatasetImportJobs[?(@.Status == 'ACTIVE')]") }, "$.trainingData"), notifyAndFail);
        describe.Next(imports).Next(new Choice(this, "HasTrainingData")
            .When(Condition.IsPresent("$.trainingData.active[0]"), train)
            .Otherwise(skipped));
        return describe;
    }

    private IChainable EnsureDatasetGroup(IChainable next, IChainable notifyAndFail)
    {
        var groupArn = JsonPath.Format(ArnTemplate("dataset-group", "{}"), JsonPath.StringAt("$.dataset_group"));
        var create = Personalize("CreateDatasetGroup", "createDatasetGroup",
            new() { ["Name"] = JsonPath.StringAt("$.dataset_group") }, "datasetGroup", null, JsonPath.DISCARD);
        var describe = Guard(Personalize("DescribeDatasetGroup", "describeDatasetGroup",
            new() { ["DatasetGroupArn"] = groupArn }, "datasetGroup", StatusOf("DatasetGroup"), "$.datasetGroup"), notifyAndFail);
        var poll = PollLoop.UntilActive(this, "DatasetGroup", "datasetGroup", describe, _props.ResourcePoll, next, notifyAndFail,
            "Personalize.DatasetGroupFailed", "CREATE FAILED");
        // A group that already exists (any earlier run) is used as it is.
        create.AddCatch(poll, new CatchProps { Errors = [AlreadyExists], ResultPath = JsonPath.DISCARD });
        Guard(create, notifyAndFail);
        create.Next(poll);
        return create;
    }

    private Parallel ImportDatasets()
    {
        var parallel = new Parallel(this, "ImportDatasets", new ParallelProps
        {
            Comment = "One branch per dataset type; each ends with {dataset, status: ACTIVE|SKIPPED|FAILED, error?}",
            ResultPath = "$.imports",
        });
        foreach (var (key, type) in TrainingInput.Datasets)
        {
            parallel.Branch(ImportBranch(key, type));
        }
        return parallel;
    }

    private IChainable ImportBranch(string key, string type)
    {
        var upper = type.ToUpperInvariant();
        var failed = new Pass(this, $"{type}NotImported", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["dataset"] = key, ["status"] = "FAILED", ["error"] = JsonPath.StringAt("$.error") },
        });
        var imported = new Pass(this, $"{type}Imported", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["dataset"] = key, ["status"] = "ACTIVE", ["datasetImportJobArn"] = JsonPath.StringAt($"$.{key}Import.resource.DatasetImportJobArn") },
        });
        var skipped = new Pass(this, $"Skip{type}Import", new PassProps
        {
            Parameters = new Dictionary<string, object> { ["dataset"] = key, ["status"] = "SKIPPED" },
        });

        var schemaName = JsonPath.Format($"{{}}-{key}", JsonPath.StringAt("$.dataset_group"));
        var schemaArn = JsonPath.Format(ArnTemplate("schema", $"{{}}-{key}"), JsonPath.StringAt("$.dataset_group"));
        var datasetArn = JsonPath.Format(ArnTemplate("dataset", $"{{}}/{upper}"), JsonPath.StringAt("$.dataset_group"));
        var groupArn = JsonPath.Format(ArnTemplate("dataset-group", "{}"), JsonPath.StringAt("$.dataset_group"));

        var startImport = Guard(Personalize($"Import{type}", "createDatasetImportJob", new()
        {
            // One job per run and dataset: the execution name keeps job names unique and under Personalize's 63 characters.
            ["JobName"] = JsonPath.Format($"{{}}-{key}-{{}}", JsonPath.StringAt("$.dataset_group"), JsonPath.StringAt("$$.Execution.Name")),
            ["DatasetArn"] = datasetArn,
            ["DataSource"] = new Dictionary<string, object> { ["DataLocation"] = JsonPath.StringAt($"$.import.{key}") },
            ["RoleArn"] = _props.PersonalizeRole.RoleArn,
            ["ImportMode"] = JsonPath.StringAt("$.import.mode"),
        }, "importJob,dataset", new() { ["arn"] = JsonPath.StringAt("$.DatasetImportJobArn") }, $"$.{key}Job",
        [new PolicyStatement(new PolicyStatementProps { Actions = ["iam:PassRole"], Resources = [_props.PersonalizeRole.RoleArn] })]), failed);
        var describeImport = Guard(Personalize($"Describe{type}Import", "describeDatasetImportJob",
            new() { ["DatasetImportJobArn"] = JsonPath.StringAt($"$.{key}Job.arn") }, "importJob", StatusOf("DatasetImportJob"), $"$.{key}Import"), failed);
        var importPoll = PollLoop.UntilActive(this, $"{type}Import", $"{key}Import", describeImport, _props.ImportPoll, imported, failed,
            "Personalize.DatasetImportFailed", "CREATE FAILED");
        startImport.Next(importPoll);

        var describeDataset = Guard(Personalize($"Describe{type}Dataset", "describeDataset",
            new() { ["DatasetArn"] = datasetArn }, "dataset", StatusOf("Dataset"), $"$.{key}Dataset"), failed);
        var datasetPoll = PollLoop.UntilActive(this, $"{type}Dataset", $"{key}Dataset", describeDataset, _props.ResourcePoll, startImport, failed,
            "Personalize.DatasetFailed", "CREATE FAILED");

        var createDataset = Personalize($"Create{type}Dataset", "createDataset", new()
        {
            ["Name"] = JsonPath.Format($"{{}}-{key}", JsonPath.StringAt("$.dataset_group")),
            ["DatasetGroupArn"] = groupArn,
            ["DatasetType"] = type,
            ["SchemaArn"] = schemaArn,
        }, "dataset,datasetGroup,schema", null, JsonPath.DISCARD);
        createDataset.AddCatch(datasetPoll, new CatchProps { Errors = [AlreadyExists], ResultPath = JsonPath.DISCARD });
        Guard(createDataset, failed).Next(datasetPoll);

        var createSchema = Personalize($"Create{type}Schema", "createSchema", new()
        {
            ["Name"] = schemaName,
            ["Schema"] = _props.DatasetSchemas[type],
        }, "schema", null, JsonPath.DISCARD);
        createSchema.AddCatch(createDataset, new CatchProps { Errors = [AlreadyExists], ResultPath = JsonPath.DISCARD });
        Guard(createSchema, failed).Next(createDataset);

        return new Choice(this, $"Has{type}Import")
            .When(Condition.IsPresent($"$.import.{key}"), createSchema)
            .Otherwise(skipped);
    }

    // ---- one recipe ----

    private Map TrainRecipes()
    {
        var map = new Map(this, "TrainRecipes", new MapProps
        {
            Comment = "All recipes at once; each iteration ends with {recipe, status: PROMOTED|NOT_PROMOTED|FAILED, ...}",
            ItemsPath = "$.recipes",
            ItemSelector = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$$.Map.Item.Value"),
                ["config"] = JsonPath.StringAt("$"),
            },
            MaxConcurrency = 0,
            ResultPath = "$.results",
        });
        map.ItemProcessor(RecipeIteration());
        return map;
    }

    private IChainable RecipeIteration()
    {
        var failed = new Pass(this, "RecipeFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "FAILED",
                ["error"] = JsonPath.StringAt("$.error"),
            },
        });
        var names = new Pass(this, "NameRecipeResources", new PassProps
        {
            Comment = "Solution and campaign are both named {dataset_group}-{recipe}: a rerun finds what an earlier run created",
            Parameters = new Dictionary<string, object>
            {
                ["solutionName"] = JsonPath.Format("{}-{}", JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["solutionArn"] = JsonPath.Format(ArnTemplate("solution", "{}-{}"), JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["campaignArn"] = JsonPath.Format(ArnTemplate("campaign", "{}-{}"), JsonPath.StringAt("$.config.dataset_group"), JsonPath.StringAt("$.recipe")),
                ["datasetGroupArn"] = JsonPath.Format(ArnTemplate("dataset-group", "{}"), JsonPath.StringAt("$.config.dataset_group")),
                ["recipeArn"] = JsonPath.Format("arn:aws:personalize:::recipe/{}", JsonPath.StringAt("$.recipe")),
            },
            ResultPath = "$.names",
        });

        // After training: metrics, then create or (gated) update the campaign, then point the experiment.
        var promoted = new Pass(this, "RecipePromoted", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "PROMOTED",
                ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
                ["metrics"] = JsonPath.StringAt("$.metrics.values"),
            },
        });
        var emit = Guard(new EventBridgePutEvents(this, "EmitModelPromoted", new EventBridgePutEventsProps
        {
            Entries =
            [
                new EventBridgePutEventsEntry
                {
                    EventBus = EventBus.FromEventBusName(this, "DefaultBus", "default"),
                    Source = _props.EventSource,
                    DetailType = "ModelPromoted",
                    Detail = TaskInput.FromObject(new Dictionary<string, object>
                    {
                        ["recipe"] = JsonPath.StringAt("$.recipe"),
                        ["solutionArn"] = JsonPath.StringAt("$.names.solutionArn"),
                        ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                        ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
                        ["metrics"] = JsonPath.StringAt("$.metrics.values"),
                        ["execution"] = JsonPath.StringAt("$$.Execution.Id"),
                    }),
                },
            ],
            ResultPath = JsonPath.DISCARD,
        }), failed, ThrottlingErrors.EventBridge);
        emit.Next(promoted);

        var pointExperiment = PointExperiment(emit, failed);

        // Creating: DescribeServingCampaign said there is none and the gate promotes the first version.
        var describeNewCampaign = Guard(Personalize("DescribeNewCampaign", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign", StatusOf("Campaign"), "$.campaign"), failed);
        var newCampaignPoll = PollLoop.UntilActive(this, "NewCampaign", "campaign", describeNewCampaign, _props.CampaignPoll, pointExperiment, failed,
            "Personalize.CampaignFailed", "CREATE FAILED");
        var createCampaign = Guard(Personalize("CreateCampaign", "createCampaign", new()
        {
            ["Name"] = JsonPath.StringAt("$.names.solutionName"),
            ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
            ["MinProvisionedTPS"] = 1,
        }, "campaign,solution", null, JsonPath.DISCARD), failed);
        createCampaign.Next(newCampaignPoll);

        // Updating: an update keeps the campaign ACTIVE on the old version; LatestCampaignUpdate.Status tells when the new one serves.
        var describeUpdate = Guard(Personalize("DescribeCampaignUpdate", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign",
            new() { ["status"] = JsonPath.StringAt("$.Campaign.LatestCampaignUpdate.Status"), ["resource"] = JsonPath.StringAt("$.Campaign") }, "$.campaignUpdate"), failed);
        var updatePoll = PollLoop.UntilActive(this, "CampaignUpdate", "campaignUpdate", describeUpdate, _props.CampaignPoll, pointExperiment, failed,
            "Personalize.CampaignUpdateFailed", "CREATE FAILED");
        var updateCampaign = Guard(Personalize("UpdateCampaign", "updateCampaign", new()
        {
            ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
            ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
        }, "campaign,solution", null, JsonPath.DISCARD), failed);
        updateCampaign.Next(updatePoll);

        // The gate: a Lambda computes candidate >= served + min_improvement (JSONPath ASL has no decimal arithmetic).
        // Its answer decides between updating the served campaign, creating the first one and keeping what serves.
        var notPromoted = new Pass(this, "NotPromoted", new PassProps
        {
            Comment = "The new version does not beat the served one by min_improvement: campaign and experiment are unchanged",
            Parameters = new Dictionary<string, object>
            {
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["status"] = "NOT_PROMOTED",
                ["reason"] = JsonPath.StringAt("$.gate.reason"),
                ["solutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn"),
                ["servedSolutionVersionArn"] = JsonPath.StringAt("$.served.solutionVersionArn"),
                ["metrics"] = JsonPath.StringAt("$.metrics.values"),
                ["servedMetrics"] = JsonPath.StringAt("$.servedMetrics.values"),
            },
        });
        var gateFailed = new Pass(this, "MetricGateFailed", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = MetricGateState,
                ["Error"] = JsonPath.StringAt("$.gate.error"),
                ["Cause"] = JsonPath.StringAt("$.gate.reason"),
            },
            ResultPath = "$.error",
        });
        gateFailed.Next(failed);
        var decision = new Choice(this, "GateDecision")
            .When(Condition.IsString("$.gate.error"), gateFailed)
            .When(Condition.And(Condition.BooleanEquals("$.gate.promote", true), Condition.IsPresent("$.served")), updateCampaign)
            .When(Condition.BooleanEquals("$.gate.promote", true), createCampaign)
            .Otherwise(notPromoted);
        var gate = new LambdaInvoke(this, MetricGateState, new LambdaInvokeProps
        {
            LambdaFunction = _props.MetricGate,
            Payload = TaskInput.FromObject(new Dictionary<string, object>
            {
                ["metric"] = JsonPath.StringAt("$.config.promote_if.metric"),
                ["min_improvement"] = JsonPath.NumberAt("$.config.promote_if.min_improvement"),
                ["candidate"] = JsonPath.StringAt("$.metrics.values"),
                ["served"] = JsonPath.StringAt("$.servedMetrics.values"),
            }),
            ResultSelector = new Dictionary<string, object>
            {
                ["promote"] = JsonPath.StringAt("$.Payload.promote"),
                ["reason"] = JsonPath.StringAt("$.Payload.reason"),
                ["error"] = JsonPath.StringAt("$.Payload.error"),
            },
            ResultPath = "$.gate",
        });
        // Lambda's own transient errors are retried by LambdaInvoke's default retrier; anything else fails the recipe.
        gate.AddCatch(RecordError(MetricGateState, failed), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        gate.Next(decision);

        var servedMetrics = Guard(Personalize("GetServedVersionMetrics", "getSolutionMetrics",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.served.solutionVersionArn") }, "solution",
            new() { ["values"] = JsonPath.StringAt("$.Metrics") }, "$.servedMetrics"), failed);
        servedMetrics.Next(gate);
        // No campaign yet: nothing is served, so the gate gets served = null (and promotes).
        var nothingServed = new Pass(this, "NothingServed", new PassProps
        {
            // CDK drops a null member of Result (and jsii cannot pass its intrinsic tokens inside a map), so the null comes
            // from the intrinsic written as ASL: {"values": null}.
            Parameters = new Dictionary<string, object> { ["values.$"] = "States.StringToJson('null')" },
            ResultPath = "$.servedMetrics",
        });
        nothingServed.Next(gate);
        var describeServing = Personalize("DescribeServingCampaign", "describeCampaign",
            new() { ["CampaignArn"] = JsonPath.StringAt("$.names.campaignArn") }, "campaign",
            new() { ["solutionVersionArn"] = JsonPath.StringAt("$.Campaign.SolutionVersionArn") }, "$.served");
        describeServing.AddCatch(nothingServed, new CatchProps { Errors = [PersonalizeErrors.ResourceNotFound], ResultPath = JsonPath.DISCARD });
        Guard(describeServing, failed).Next(servedMetrics);

        var getMetrics = Guard(Personalize("GetSolutionMetrics", "getSolutionMetrics",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") }, "solution",
            new() { ["values"] = JsonPath.StringAt("$.Metrics") }, "$.metrics"), failed);
        getMetrics.Next(describeServing);

        var describeVersion = Guard(Personalize("DescribeSolutionVersion", "describeSolutionVersion",
            new() { ["SolutionVersionArn"] = JsonPath.StringAt("$.training.solutionVersionArn") }, "solution", StatusOf("SolutionVersion"), "$.version"), failed);
        var versionPoll = PollLoop.UntilActive(this, "SolutionVersion", "version", describeVersion, _props.TrainingPoll, getMetrics, failed,
            "Personalize.SolutionVersionFailed", "CREATE FAILED", "CREATE STOPPED");
        var createVersion = Guard(Personalize("CreateSolutionVersion", "createSolutionVersion", new()
        {
            ["SolutionArn"] = JsonPath.StringAt("$.names.solutionArn"),
            ["TrainingMode"] = JsonPath.StringAt("$.config.training_mode"),
        }, "solution", new() { ["solutionVersionArn"] = JsonPath.StringAt("$.SolutionVersionArn") }, "$.training"), failed);
        createVersion.Next(versionPoll);

        var describeSolution = Guard(Personalize("DescribeSolution", "describeSolution",
            new() { ["SolutionArn"] = JsonPath.StringAt("$.names.solutionArn") }, "solution", StatusOf("Solution"), "$.solution"), failed);
        var solutionPoll = PollLoop.UntilActive(this, "Solution", "solution", describeSolution, _props.ResourcePoll, createVersion, failed,
            "Personalize.SolutionFailed", "CREATE FAILED");
        var createSolution = Personalize("CreateSolution", "createSolution", new()
        {
            ["Name"] = JsonPath.StringAt("$.names.solutionName"),
            ["DatasetGroupArn"] = JsonPath.StringAt("$.names.datasetGroupArn"),
            ["RecipeArn"] = JsonPath.StringAt("$.names.recipeArn"),
            // Personalize's default (true) trains a new version every 7 days on top of the nightly run, at training cost,
            // and a version in training blocks the teardown; this machine is the only trainer.
            ["PerformAutoTraining"] = false,
        }, "solution,datasetGroup", null, JsonPath.DISCARD);
        // The solution of an earlier run: its name is deterministic, so it is used as it is.
        createSolution.AddCatch(solutionPoll, new CatchProps { Errors = [AlreadyExists], ResultPath = JsonPath.DISCARD });
        Guard(createSolution, failed).Next(solutionPoll);

        names.Next(createSolution);
        return names;
    }

    /// <summary>
    /// With an experiment in the input: read it, and for each of its variants whose recipe is this iteration's recipe set
    /// <c>variants[i].campaign</c> (DynamoDB keeps variants as a list of maps, so the index is found by a Map over them).
    /// The attribute names are the deployment contract's (<see cref="DynamoDbAttributes"/>), as DynamoDbExperimentStore writes them.
    /// </summary>
    private IChainable PointExperiment(IChainable next, IChainable failed)
    {
        var getExperiment = Guard(new DynamoGetItem(this, "GetExperiment", new DynamoGetItemProps
        {
            Table = _props.ExperimentsTable,
            Key = new Dictionary<string, DynamoAttributeValue>
            {
                [DynamoDbAttributes.ExperimentKey] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.config.experiment")),
            },
            ConsistentRead = true,
            ResultPath = "$.experimentItem",
        }), failed, ThrottlingErrors.DynamoDb);
        var missing = new Pass(this, "ExperimentNotFound", new PassProps
        {
            Parameters = new Dictionary<string, object>
            {
                ["State"] = "GetExperiment",
                ["Error"] = "Pipeline.ExperimentNotFound",
                ["Cause"] = JsonPath.Format("no experiment {} in the experiments table", JsonPath.StringAt("$.config.experiment")),
            },
            ResultPath = "$.error",
        });
        missing.Next(failed);

        var update = new DynamoUpdateItem(this, "PointExperimentVariant", new DynamoUpdateItemProps
        {
            Table = _props.ExperimentsTable,
            Key = new Dictionary<string, DynamoAttributeValue>
            {
                [DynamoDbAttributes.ExperimentKey] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.experiment")),
            },
            UpdateExpression = JsonPath.Format(DynamoDbAttributes.VariantCampaignUpdate, JsonPath.StringAt("$.index")),
            ConditionExpression = $"attribute_exists({DynamoDbAttributes.ExperimentKey})",
            ExpressionAttributeValues = new Dictionary<string, DynamoAttributeValue>
            {
                [":campaign"] = DynamoAttributeValue.FromString(JsonPath.StringAt("$.campaignArn")),
            },
            ResultPath = JsonPath.DISCARD,
        });
        update.AddRetry(new RetryProps
        {
            Errors = ThrottlingErrors.DynamoDb,
            Interval = Duration.Seconds(1),
            BackoffRate = 2,
            MaxAttempts = 5,
            JitterStrategy = JitterType.FULL,
        });
        var variants = new Map(this, "PointVariants", new MapProps
        {
            ItemsPath = $"$.experimentItem.Item.{DynamoDbAttributes.Variants}.L",
            ItemSelector = new Dictionary<string, object>
            {
                ["index"] = JsonPath.NumberAt("$$.Map.Item.Index"),
                ["variant"] = JsonPath.StringAt("$$.Map.Item.Value"),
                ["recipe"] = JsonPath.StringAt("$.recipe"),
                ["experiment"] = JsonPath.StringAt("$.config.experiment"),
                ["campaignArn"] = JsonPath.StringAt("$.names.campaignArn"),
            },
            ResultPath = JsonPath.DISCARD,
        });
        variants.ItemProcessor(new Choice(this, "IsVariantOfRecipe")
            .When(Condition.And(
                Condition.IsPresent($"$.variant.M.{DynamoDbAttributes.VariantRecipe}.S"),
                Condition.StringEqualsJsonPath($"$.variant.M.{DynamoDbAttributes.VariantRecipe}.S", "$.recipe")), update)
            .Otherwise(new Pass(this, "OtherRecipesVariant")));
        // A failed update inside fails the Map; the iteration records it under the Map's name.
        variants.AddCatch(RecordError("PointVariants", failed), new CatchProps { Errors = [Errors.ALL], ResultPath = "$.error" });
        variants.Next(next);

        getExperiment.Next(new Choice(this, "ExperimentFound")
            .When(Condition.IsPresent("$.experimentItem.Item"), variants)
            .Otherwise(missing));
        return new Choice(this, "HasExperiment")
            .When(Condition.IsPresent("$.config.experiment"), getExperiment)
            .Otherwise(next);
    }
}
