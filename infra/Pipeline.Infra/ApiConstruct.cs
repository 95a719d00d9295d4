using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using Pipeline.DeploymentContract;
using Pipeline.Workflows;

namespace Pipeline.Infra;

/// <summary>
/// The public API: API Gateway (REST, API key + usage plan, throttling, access logs) proxying every
/// path to one Lambda that runs the ASP.NET Core app behind the Lambda Web Adapter.
/// </summary>
public sealed class ApiConstruct : Construct
{
    public const string StageName = "v1";

    public Function Function { get; }
    public RestApi Api { get; }
    public IApiKey ApiKey { get; }

    /// <summary>execute-api:Invoke on the admin routes: attach it to the people and roles that run experiments and load the catalog.</summary>
    public ManagedPolicy AdminAccess { get; private set; } = null!;

    /// <summary>
    /// The admin routes (the app's <c>admin</c> group: experiments, catalog and user writes, user reads, the workflows and
    /// live metrics the operator console reads, and the console itself) as API Gateway
    /// resources and the methods that reach them: on AWS they take IAM (SigV4) authorization instead of the client's API key.
    /// </summary>
    public static readonly (string Path, string Method)[] AdminRoutes =
    [
        ("/experiments", "ANY"),
        ("/experiments/{proxy+}", "ANY"),
        ("/items", "PUT"),
        ("/users", "ANY"),
        ("/users/{proxy+}", "ANY"),
        ("/workflows", "ANY"),
        ("/workflows/{proxy+}", "ANY"),
        ("/metrics/live", "GET"),
        ("/console", "ANY"),
        ("/console/{proxy+}", "ANY"),
    ];

    /// <summary>Responses served by a fallback: the API logs each as a JSON line with EventId 1001 (ServingLog).</summary>
    public Metric FallbackResponses { get; }

    public ApiConstruct(Construct scope, string id, PipelineConfig config, DataStack data, IQueue eventsQueue, string repoRoot)
        : base(scope, id)
    {
        var environment = LambdaPackaging.WebAdapterEnvironment();
        environment[EnvironmentVariables.Mode] = PipelineModes.Aws;
        environment[EnvironmentVariables.Role] = PipelineRoles.Api;
        environment[EnvironmentVariables.ExperimentsTable] = data.Experiments.TableName;
        environment[EnvironmentVariables.AssignmentsTable] = data.Assignments.TableName;
        environment[EnvironmentVariables.ItemsTable] = data.Items.TableName;
        environment[EnvironmentVariables.UsersTable] = data.Users.TableName;
        // Read-only: GET /experiments/{key}/results; the consumer function writes the aggregates.
        environment[EnvironmentVariables.AggregatesTable] = data.Aggregates.TableName;
        // Read-only: similar-items takes the user's most recent item from it; the consumer function writes it.
        environment[EnvironmentVariables.EventsTable] = data.Events.TableName;
        environment[EnvironmentVariables.DataBucket] = data.DataBucket.BucketName;
        environment[EnvironmentVariables.EventsQueueUrl] = eventsQueue.QueueUrl;

        Function = LambdaPackaging.WebAdapterFunction(this, "Function", config, repoRoot,
            "Pipeline API (ASP.NET Core behind the Lambda Web Adapter)", Duration.Seconds(29) /* API Gateway's integration timeout */, environment);
        // The OpenTelemetry counters do not reach CloudWatch from Lambda; the fallback warning the API logs anyway does.
        FallbackResponses = new MetricFilter(this, "FallbackResponsesFilter", new MetricFilterProps
        {
            LogGroup = Function.LogGroup,
            FilterPattern = FilterPattern.NumberValue("$.EventId", "=", 1001),
            MetricNamespace = $"{config.ProjectName}/Api",
            MetricName = "FallbackResponses",
            MetricValue = "1",
            DefaultValue = 0,
        }).Metric(new MetricOptions { Period = Duration.Minutes(5), Statistic = "Sum" });

        data.Experiments.GrantReadWriteData(Function);
        data.Assignments.GrantReadWriteData(Function);
        // PUT /items and PUT /users write the catalog.
        data.Items.GrantReadWriteData(Function);
        data.Users.GrantReadWriteData(Function);
        // Exposures and attributions go to the events queue; the consumer function records them (see EventsConstruct).
        data.Aggregates.GrantReadData(Function);
        data.Events.GrantReadData(Function);
        // The in-house models the trainer writes: their manifest and artifacts, read by key.
        Function.Allow(["s3:GetObject"], data.DataBucket.ArnForObjects(DataBucketPrefixes.Models + "*"));
        eventsQueue.GrantSendMessages(Function);
        // Campaign names start with the project name; the runtime API is authorized per campaign/recommender.
        Function.Allow(["personalize:GetRecommendations", "personalize:GetPersonalizedRanking"],
            Stack.Of(this).FormatArn(new ArnComponents { Service = "personalize", Resource = "campaign", ResourceName = $"{config.ProjectName}-*" }),
            Stack.Of(this).FormatArn(new ArnComponents { Service = "personalize", Resource = "recommender", ResourceName = $"{config.ProjectName}-*" }));

        var accessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps { Retention = RetentionDays.THREE_MONTHS, RemovalPolicy = RemovalPolicy.DESTROY });
        Api = new RestApi(this, "RestApi", new RestApiProps
        {
            RestApiName = $"{config.ProjectName}-api",
            Description = "Pipeline recommendations and experiments API",
            EndpointTypes = [EndpointType.REGIONAL],
            // Access logging needs the account-level CloudWatch role; keep it when the stack goes, other APIs may use it.
            CloudWatchRole = true,
            CloudWatchRoleRemovalPolicy = RemovalPolicy.RETAIN,
            DeployOptions = new StageOptions
            {
                StageName = StageName,
                ThrottlingRateLimit = config.ApiThrottleRateLimit,
                ThrottlingBurstLimit = config.ApiThrottleBurstLimit,
                AccessLogDestination = new LogGroupLogDestination(accessLogs),
                AccessLogFormat = AccessLogFormat.JsonWithStandardFields(new JsonWithStandardFieldProps
                {
                    Caller = false, HttpMethod = true, Ip = true, Protocol = true, RequestTime = true,
                    ResourcePath = true, ResponseLength = true, Status = true, User = false,
                }),
                MetricsEnabled = true,
                TracingEnabled = true,
                LoggingLevel = MethodLoggingLevel.ERROR,
                DataTraceEnabled = false, // request bodies carry user ids
            },
            DefaultMethodOptions = new MethodOptions { ApiKeyRequired = true },
        });

        var integration = new LambdaIntegration(Function, new LambdaIntegrationOptions { Proxy = true });
        Api.Root.AddMethod("ANY", integration);
        Api.Root.AddProxy(new ProxyResourceOptions { DefaultIntegration = integration, AnyMethod = true });
        // Health checks (and the Web Adapter's own readiness path) need no key.
        Api.Root.AddResource(WebAdapter.ReadinessCheckPath.TrimStart('/')).AddMethod("GET", integration, new MethodOptions { ApiKeyRequired = false });
        AdminAccess = RequireIamOnAdminRoutes(integration);

        ApiKey = Api.AddApiKey("ApiKey", new ApiKeyOptions { Description = "Default client key of the Pipeline API" });
        var plan = Api.AddUsagePlan("UsagePlan", new UsagePlanProps
        {
            Name = $"{config.ProjectName}-default",
            Throttle = new ThrottleSettings { RateLimit = config.ApiThrottleRateLimit, BurstLimit = config.ApiThrottleBurstLimit },
            Quota = new QuotaSettings { Limit = 1_000_000, Period = Period.DAY },
        });
        plan.AddApiKey(ApiKey);
        plan.AddApiStage(new UsagePlanPerApiStage { Stage = Api.DeploymentStage });

        if (config.EnableWaf) ApiFirewall.Protect(this, config, Api.DeploymentStage);
    }

    /// <summary>
    /// The console's Workflows pages on AWS (<c>GET /workflows</c>, one execution, starting one): the machines' ARNs and the
    /// nightly rule's schedule and input in the environment (Pipeline.Api's StepFunctionsWorkflowsHosting reads them), and
    /// exactly the calls it makes: ListExecutions and StartExecution on the machines, DescribeExecution,
    /// GetExecutionHistory and DescribeStateMachineForExecution on their executions.
    /// </summary>
    /// <param name="nightly">The nightly rule: its expression and input are passed as they were given to the rule, never restated.</param>
    public void ReadWorkflows(IStateMachine training, IStateMachine teardown, TrainingSchedule nightly)
    {
        Function.AddEnvironment(EnvironmentVariables.TrainingStateMachineArn, training.StateMachineArn);
        Function.AddEnvironment(EnvironmentVariables.TeardownStateMachineArn, teardown.StateMachineArn);
        Function.AddEnvironment(EnvironmentVariables.TrainingSchedule, nightly.ScheduleExpression);
        Function.AddEnvironment(EnvironmentVariables.TrainingScheduleInput, System.Text.Json.JsonSerializer.Serialize(nightly.Input));
        foreach (var machine in new[] { training, teardown })
        {
            machine.Grant(Function, "states:ListExecutions");
            machine.GrantStartExecution(Function);
            machine.GrantExecution(Function, "states:DescribeExecution", "states:GetExecutionHistory", "states:DescribeStateMachineForExecution");
        }
    }

    /// <summary>
    /// The client's API key (API Gateway's usage plan) would otherwise reach every route, admin ones included, because the
    /// app behind the proxy is given no keys of its own on AWS. IAM authorization needs no secret in the stack.
    /// </summary>
    private ManagedPolicy RequireIamOnAdminRoutes(LambdaIntegration integration)
    {
        var iam = new MethodOptions { AuthorizationType = AuthorizationType.IAM, ApiKeyRequired = false };
        var resources = new Dictionary<string, Amazon.CDK.AWS.APIGateway.IResource>(StringComparer.Ordinal) { ["/"] = Api.Root };
        Amazon.CDK.AWS.APIGateway.IResource ResourceAt(string path)
        {
            if (resources.TryGetValue(path, out var existing)) return existing;
            var slash = path.LastIndexOf('/');
            var parent = ResourceAt(slash == 0 ? "/" : path[..slash]);
            return resources[path] = parent.AddResource(path[(slash + 1)..]);
        }
        foreach (var (path, method) in AdminRoutes)
        {
            ResourceAt(path).AddMethod(method, integration, iam);
        }
        // GET /items/{item_id} and /items/{item_id}/similar stay client routes under the explicit /items resource.
        ResourceAt("/items").AddResource("{proxy+}").AddMethod("ANY", integration);

        return new ManagedPolicy(this, "AdminAccess", new ManagedPolicyProps
        {
            Description = "Calls the Pipeline API's admin routes (IAM-authorized: sign with SigV4, service execute-api)",
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Actions = ["execute-api:Invoke"],
                    Resources = AdminRoutes.Select(r => Api.ArnForExecuteApi(r.Method == "ANY" ? "*" : r.Method, r.Path.Replace("{proxy+}", "*", StringComparison.Ordinal), StageName)).ToArray(),
                }),
            ],
        });
    }
}
