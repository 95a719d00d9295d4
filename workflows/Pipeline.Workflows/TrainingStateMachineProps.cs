using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Pipeline.DeploymentContract;

namespace Pipeline.Workflows;

/// <summary>How one Wait/Describe/Choice loop polls: the first wait, the cap the doubling backoff stops at, the attempts.</summary>
public sealed record PollSettings(int InitialSeconds, int MaxSeconds, int MaxAttempts)
{
    /// <summary>The longest the loop can wait in total (every attempt at the cap): an upper bound for the machine's timeout.</summary>
    public long MaxTotalSeconds => (long)MaxSeconds * MaxAttempts;
}

public sealed class TrainingStateMachineProps
{
    /// <summary>
    /// Every Personalize resource the machine touches is named with this prefix (dataset groups <c>PREFIX…</c>, solutions
    /// and campaigns <c>DATASETGROUP-RECIPE</c>); IAM is scoped to it, so the input's dataset_group must start with it.
    /// </summary>
    public required string NamePrefix { get; init; }

    /// <summary>The experiments table (<see cref="TableSchemas.Experiments"/>: partition key experimentKey, variants a list of maps with recipe and campaign).</summary>
    public required ITable ExperimentsTable { get; init; }

    /// <summary>The role Personalize assumes to read import files from S3 (passed to CreateDatasetImportJob).</summary>
    public required IRole PersonalizeRole { get; init; }

    /// <summary>
    /// The Avro schema (CreateSchema's JSON) of each dataset type an import may fill: keys <c>Interactions</c>,
    /// <c>Items</c>, <c>Users</c> (<see cref="PersonalizeSchemas.ByDatasetType"/>). A missing schema or dataset is created before its import.
    /// </summary>
    public required IReadOnlyDictionary<string, string> DatasetSchemas { get; init; }

    /// <summary>
    /// The metric gate (Pipeline.Api's MetricGateFunction behind the Web Adapter): payload
    /// <c>{metric, min_improvement, candidate, served}</c>, answer <c>{promote, reason, error}</c>. The machine may invoke
    /// this function and no other.
    /// </summary>
    public required IFunction MetricGate { get; init; }

    /// <summary>
    /// The in-house trainer (Pipeline.Api's InHouseTrainerFunction, over Pipeline.Engine's InHouseTrainingHandler, behind the
    /// Web Adapter): payload <c>{dataset_group, import}</c>, answer <c>{status, version, models, reason, error}</c>. It trains
    /// the engine's fallback models from the same import, before the Personalize solutions.
    /// </summary>
    public required IFunction InHouseTrainer { get; init; }

    /// <summary>
    /// The online gate (Pipeline.Api's OnlineGateFunction behind the Web Adapter): payload <c>{action: validate|enter|decide|
    /// promote|rollback, experiment, …}</c>, every answer with <c>error</c>. It reads and re-versions the experiment and
    /// reads its aggregates.
    /// </summary>
    public required IFunction OnlineGate { get; init; }


    /// <summary>Source of the ModelPromoted event on the default bus.</summary>
    public string EventSource { get; init; } = "pipeline.training";

    /// <summary>Where a failed run is reported.</summary>
    public required ITopic AlertTopic { get; init; }

    /// <summary>Dataset group, dataset and solution creation: seconds to minutes.</summary>
    public PollSettings ResourcePoll { get; init; } = new(5, 60, 60);

    /// <summary>Dataset import jobs: minutes to an hour.</summary>
    public PollSettings ImportPoll { get; init; } = new(30, 300, 60);

    /// <summary>Solution versions: minutes to hours (default up to 288 polls at 5 min = 24 h).</summary>
    public PollSettings TrainingPoll { get; init; } = new(60, 300, 288);

    /// <summary>Campaign creation or update: minutes (default up to 60 polls at 1 min).</summary>
    public PollSettings CampaignPoll { get; init; } = new(15, 60, 60);
}
