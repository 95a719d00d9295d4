using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.StepFunctions;
using Parallel = Amazon.CDK.AWS.StepFunctions.Parallel;

namespace Pipeline.Workflows;

/// <summary>
/// The dataset group (created if absent) and ImportDatasets (Parallel): each given dataset's schema and dataset created
/// if absent, its import job run and polled; then whether the group has interactions to train on at all.
/// </summary>
public sealed partial class TrainingStateMachine
{
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
}
