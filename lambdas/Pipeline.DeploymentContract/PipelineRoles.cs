namespace Pipeline.DeploymentContract;

/// <summary>
/// The values of <see cref="EnvironmentVariables.Role"/>: the jobs one package does, one per Lambda function. Written: each
/// construct of infra/Pipeline.Infra sets its function's role. Read: Pipeline.Api's HostSettings (what the role needs) and
/// RoleComposition (what it composes).
/// </summary>
public static class PipelineRoles
{
    /// <summary>The HTTP API (the default: the local process and the API function; ApiConstruct).</summary>
    public const string Api = "api";

    /// <summary>The SQS consumer: the Web Adapter's pass-through path only (EventsConstruct).</summary>
    public const string EventsConsumer = "events-consumer";

    /// <summary>The training workflow's metric gate (MetricGateConstruct).</summary>
    public const string MetricGate = "metric-gate";

    /// <summary>The training workflow's in-house trainer (TrainerConstruct).</summary>
    public const string InHouseTrainer = "in-house-trainer";

    /// <summary>The bandits' scheduled weight update (BanditUpdaterConstruct: an EventBridge rule invokes it every period).</summary>
    public const string BanditUpdater = "bandit-updater";

    /// <summary>The training workflow's online gate (OnlineGateConstruct: the challenger in the experiment, promoted or rolled back on its results).</summary>
    public const string OnlineGate = "online-gate";

    public static IReadOnlyList<string> All { get; } = [Api, EventsConsumer, MetricGate, InHouseTrainer, BanditUpdater, OnlineGate];
}

/// <summary>
/// The values of <see cref="EnvironmentVariables.Mode"/>. Written: the infra sets <see cref="Aws"/>. Read: Pipeline.Api's
/// HostSettings and AwsHosting (DynamoDB, SQS and S3 instead of SQLite).
/// </summary>
public static class PipelineModes
{
    /// <summary>SQLite stores on one machine (the default when the variable is unset).</summary>
    public const string Local = "local";

    /// <summary>The AWS adapters: what every deployed function but the metric gate runs with.</summary>
    public const string Aws = "aws";
}
