namespace Pipeline.DeploymentContract;

/// <summary>
/// The paths the Lambda Web Adapter POSTs a non-HTTP invoke to (<see cref="EnvironmentVariables.PassThroughPath"/>), one per
/// role that is invoked by something other than API Gateway. Written: the role's construct in infra/Pipeline.Infra sets
/// it on its function. Read: Pipeline.Api maps the route (AwsHosting, InHouseModelsHosting) and HostSettings refuses to
/// start when the function's variable names another path. API Gateway never reaches them: the API function has none.
/// </summary>
public static class PassThroughPaths
{
    /// <summary>
    /// The SQS batches of the events queue. Written: EventsConstruct (and MotoResources for `pipeline rehearse aws`). Read:
    /// AwsHosting.MapSqsPassThrough maps whatever path the variable names, so only the infra and the rehearsal use this one.
    /// </summary>
    public const string EventsConsumer = "/internal/sqs-events";

    /// <summary>The training machine's metric gate payload. Written: MetricGateConstruct. Read: AwsHosting.MapMetricGateFunction, HostSettings.</summary>
    public const string MetricGate = "/internal/metric-gate";

    /// <summary>The training machine's in-house trainer payload. Written: TrainerConstruct. Read: InHouseModelsHosting.MapInHouseTrainerFunction, HostSettings.</summary>
    public const string InHouseTrainer = "/internal/in-house-trainer";

    /// <summary>The bandit rule's scheduled event. Written: BanditUpdaterConstruct. Read: AwsHosting.MapBanditUpdaterFunction, HostSettings.</summary>
    public const string BanditUpdater = "/internal/bandit-updater";

    /// <summary>The training machine's online gate payload. Written: OnlineGateConstruct. Read: AwsHosting.MapOnlineGateFunction, HostSettings.</summary>
    public const string OnlineGate = "/internal/online-gate";
}

/// <summary>
/// The Lambda Web Adapter's settings both sides depend on: the infra writes them (LambdaPackaging.WebAdapterEnvironment),
/// the package serves what they name.
/// </summary>
public static class WebAdapter
{
    /// <summary>
    /// The port Kestrel listens on and the Web Adapter forwards to: written as both <see cref="EnvironmentVariables.WebAdapterPort"/>
    /// and <see cref="EnvironmentVariables.AspNetCoreHttpPorts"/>, read by the Web Adapter and by ASP.NET Core.
    /// </summary>
    public const string Port = "8080";

    /// <summary>
    /// The readiness probe (<see cref="EnvironmentVariables.ReadinessCheckPath"/>): written by LambdaPackaging, probed by the Web
    /// Adapter before the first invoke; every role of Pipeline.Api maps <c>GET</c> on it, and API Gateway routes it without a key.
    /// </summary>
    public const string ReadinessCheckPath = "/health";

    /// <summary>
    /// Every server error fails the invoke (<see cref="EnvironmentVariables.ErrorStatusCodes"/>): written by the infra on the
    /// functions invoked with a non-HTTP event, read by the Web Adapter; the code answers a failure with a 5xx so that
    /// SQS redelivers the batch or Step Functions sees a Lambda error.
    /// </summary>
    public const string FailingStatusCodes = "500-599";
}
