namespace Pipeline.DeploymentContract;

/// <summary>
/// The environment variables the infra sets on the Lambda functions and the code reads. Writers: infra/Pipeline.Infra
/// (ApiConstruct, EventsConstruct, MetricGateConstruct, TrainerConstruct, BanditUpdaterConstruct, OnlineGateConstruct,
/// LambdaPackaging), and `pipeline rehearse aws` (tools/Pipeline.Cli, MotoResources), which starts the same package with
/// the same environment on moto_server. Readers: lambdas/Pipeline.Api (HostSettings, AwsHosting, RoleComposition,
/// StepFunctionsWorkflowsHosting), lambdas/Pipeline.Adapters.Aws (DynamoDbTables), and for the <c>AWS_LWA_*</c> ones the
/// Lambda Web Adapter layer. Settings only the code reads (endpoint overrides for tests and the rehearsal, e.g.
/// <c>PIPELINE_PERSONALIZE_RUNTIME_ENDPOINT</c>) stay with their readers: the infra never sets them.
/// </summary>
public static class EnvironmentVariables
{
    /// <summary>
    /// <c>aws</c> or <c>local</c> (<see cref="PipelineModes"/>). Written: every function but the metric gate (it reads no AWS
    /// service), <c>aws</c>. Read: HostSettings.Bind (unset means local) and AwsHosting.IsAwsMode.
    /// </summary>
    public const string Mode = "PIPELINE_MODE";

    /// <summary>
    /// What the package does in this function (<see cref="PipelineRoles"/>). Written: every function, its own role. Read:
    /// HostSettings.Bind (unset means <see cref="PipelineRoles.Api"/>), then RoleComposition composes only that role.
    /// </summary>
    public const string Role = "PIPELINE_ROLE";

    /// <summary>
    /// The experiments table's name (<see cref="TableSchemas.Experiments"/>). Written: ApiConstruct, BanditUpdaterConstruct,
    /// OnlineGateConstruct. Read: DynamoDbTables.FromEnvironment; HostSettings requires it for the api, bandit-updater and
    /// online-gate roles.
    /// </summary>
    public const string ExperimentsTable = "PIPELINE_EXPERIMENTS_TABLE";

    /// <summary>The assignments table's name. Written: ApiConstruct. Read: DynamoDbTables.FromEnvironment; required for the api role.</summary>
    public const string AssignmentsTable = "PIPELINE_ASSIGNMENTS_TABLE";

    /// <summary>
    /// The exposures table's name. Written: EventsConstruct (the consumer records the exposures the API queues). Read:
    /// DynamoDbTables.FromEnvironment; required for the events-consumer role.
    /// </summary>
    public const string ExposuresTable = "PIPELINE_EXPOSURES_TABLE";

    /// <summary>The items (catalog) table's name. Written: ApiConstruct. Read: DynamoDbTables.FromEnvironment; required for the api role.</summary>
    public const string ItemsTable = "PIPELINE_ITEMS_TABLE";

    /// <summary>The users table's name. Written: ApiConstruct. Read: DynamoDbTables.FromEnvironment; required for the api role.</summary>
    public const string UsersTable = "PIPELINE_USERS_TABLE";

    /// <summary>
    /// The events table's name. Written: EventsConstruct (the consumer writes it), ApiConstruct (read-only: a user's recent
    /// items). Read: DynamoDbTables.FromEnvironment; required for the events-consumer role, optional for the api role.
    /// </summary>
    public const string EventsTable = "PIPELINE_EVENTS_TABLE";

    /// <summary>
    /// The aggregates table's name. Written: ApiConstruct (read-only: results), EventsConstruct, BanditUpdaterConstruct,
    /// OnlineGateConstruct. Read: DynamoDbTables.FromEnvironment; required for those four roles.
    /// </summary>
    public const string AggregatesTable = "PIPELINE_AGGREGATES_TABLE";

    /// <summary>
    /// The data bucket's name (<see cref="DataBucketPrefixes"/>). Written: ApiConstruct, EventsConstruct, TrainerConstruct.
    /// Read: HostSettings.Bind (the in-house models' bucket, required for the api role on AWS and the in-house-trainer) and
    /// AwsHosting (the events consumer's archive).
    /// </summary>
    public const string DataBucket = "PIPELINE_DATA_BUCKET";

    /// <summary>The events queue's URL. Written: ApiConstruct. Read: AwsHosting.AddAwsStores (events and exposures go through it); required for the api role.</summary>
    public const string EventsQueueUrl = "PIPELINE_EVENTS_QUEUE_URL";

    /// <summary>
    /// The Personalize event tracker's id. Written: EventsConstruct, only when the deployment's config names one
    /// (<c>personalizeTrackingId</c>). Read: AwsHosting (the consumer forwards the events with PutEvents when it is set).
    /// </summary>
    public const string PersonalizeTrackingId = "PIPELINE_PERSONALIZE_TRACKING_ID";

    /// <summary>The training state machine's ARN. Written: ApiConstruct.ReadWorkflows. Read: StepFunctionsWorkflowsHosting (the console's Workflows pages), HostSettings.</summary>
    public const string TrainingStateMachineArn = "PIPELINE_TRAINING_STATE_MACHINE_ARN";

    /// <summary>The teardown state machine's ARN. Written: ApiConstruct.ReadWorkflows. Read: StepFunctionsWorkflowsHosting, HostSettings.</summary>
    public const string TeardownStateMachineArn = "PIPELINE_TEARDOWN_STATE_MACHINE_ARN";

    /// <summary>The nightly rule's schedule expression. Written: ApiConstruct.ReadWorkflows. Read: StepFunctionsWorkflowsHosting; HostSettings checks it parses.</summary>
    public const string TrainingSchedule = "PIPELINE_TRAINING_SCHEDULE";

    /// <summary>The nightly rule's input (a JSON object). Written: ApiConstruct.ReadWorkflows. Read: StepFunctionsWorkflowsHosting.</summary>
    public const string TrainingScheduleInput = "PIPELINE_TRAINING_SCHEDULE_INPUT";

    /// <summary>
    /// Where the Web Adapter POSTs a non-HTTP invoke (<see cref="PassThroughPaths"/>). Written: every function but the API's
    /// (EventsConstruct, MetricGateConstruct, TrainerConstruct, LambdaPackaging.PassThroughRoleEnvironment). Read: the Web
    /// Adapter; HostSettings (it must be the role's path, and unset for the api role: API Gateway would reach it) and
    /// AwsHosting.MapSqsPassThrough (the consumer maps whatever path it names).
    /// </summary>
    public const string PassThroughPath = "AWS_LWA_PASS_THROUGH_PATH";

    /// <summary>
    /// The answers that fail the invoke (<see cref="WebAdapter.FailingStatusCodes"/>). Written: the consumer, the metric gate,
    /// the bandit updater and the online gate. Read: the Web Adapter only (the code's 5xx answers rely on it).
    /// </summary>
    public const string ErrorStatusCodes = "AWS_LWA_ERROR_STATUS_CODES";

    /// <summary>The port the Web Adapter forwards to (<see cref="WebAdapter.Port"/>). Written: every function (LambdaPackaging). Read: the Web Adapter.</summary>
    public const string WebAdapterPort = "AWS_LWA_PORT";

    /// <summary>
    /// The path the Web Adapter probes before the first invoke (<see cref="WebAdapter.ReadinessCheckPath"/>). Written: every
    /// function (LambdaPackaging). Read: the Web Adapter; every role maps that path.
    /// </summary>
    public const string ReadinessCheckPath = "AWS_LWA_READINESS_CHECK_PATH";

    /// <summary>The port Kestrel listens on (<see cref="WebAdapter.Port"/>). Written: every function (LambdaPackaging). Read: ASP.NET Core's host.</summary>
    public const string AspNetCoreHttpPorts = "ASPNETCORE_HTTP_PORTS";

    /// <summary>The table variables, in <see cref="TableSchemas.All"/>'s order.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        [ExperimentsTable, AssignmentsTable, ExposuresTable, ItemsTable, UsersTable, EventsTable, AggregatesTable];

    /// <summary>The variables the Web Adapter layer or ASP.NET Core read, not the package's code.</summary>
    public static IReadOnlyList<string> WebAdapterVariables { get; } = [ErrorStatusCodes, WebAdapterPort, ReadinessCheckPath, AspNetCoreHttpPorts];

    /// <summary>Every variable the infra may set on a function.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Mode, Role, .. Tables, DataBucket, EventsQueueUrl, PersonalizeTrackingId,
        TrainingStateMachineArn, TeardownStateMachineArn, TrainingSchedule, TrainingScheduleInput,
        PassThroughPath, .. WebAdapterVariables,
    ];
}
