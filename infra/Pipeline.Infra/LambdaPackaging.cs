using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Pipeline.DeploymentContract;

namespace Pipeline.Infra;

/// <summary>
/// How the ASP.NET Core app is packaged for Lambda: a self-contained linux-x64 publish (with a
/// <c>bootstrap</c> that starts it) on <c>provided.al2023</c>, behind the AWS Lambda Web Adapter layer.
/// </summary>
public static class LambdaPackaging
{
    /// <summary>Committed stand-in used when the app has not been published, so synth and tests need no publish step.</summary>
    public const string PlaceholderDir = "infra/Pipeline.Infra/assets/lambda-placeholder";

    /// <summary>Account that publishes the public AWS Lambda Web Adapter layers in each commercial region.</summary>
    public const string WebAdapterLayerAccount = "753240598075";

    /// <summary>
    /// The publish output if it exists (it must contain <c>bootstrap</c>), else the placeholder. A warning
    /// is attached to the construct when the placeholder is used, because that deploys a function that
    /// only answers "not published".
    /// </summary>
    public static Code ApiCode(Construct scope, PipelineConfig config, string repoRoot)
    {
        var published = Path.Combine(repoRoot, config.ApiPublishDir);
        if (File.Exists(Path.Combine(published, "bootstrap")))
        {
            return Code.FromAsset(published);
        }
        Annotations.Of(scope).AddWarning(
            $"{config.ApiPublishDir}/bootstrap not found: using the placeholder Lambda asset. " +
            "Publish Pipeline.Api (see README) before deploying.");
        return Code.FromAsset(Path.Combine(repoRoot, PlaceholderDir));
    }

    public static ILayerVersion WebAdapterLayer(Construct scope, string id, PipelineConfig config) =>
        LayerVersion.FromLayerVersionArn(scope, id,
            $"arn:{Aws.PARTITION}:lambda:{Aws.REGION}:{WebAdapterLayerAccount}:layer:LambdaAdapterLayerX86:{config.LambdaAdapterLayerVersion}");

    /// <summary>
    /// The environment of a function that serves one pass-through role of the package in AWS mode: the Web Adapter posts
    /// each invoke to <paramref name="passThroughPath"/>, and a 5xx answer fails the invoke.
    /// </summary>
    public static Dictionary<string, string> PassThroughRoleEnvironment(string role, string passThroughPath)
    {
        var environment = WebAdapterEnvironment();
        environment[EnvironmentVariables.Mode] = PipelineModes.Aws;
        environment[EnvironmentVariables.Role] = role;
        environment[EnvironmentVariables.PassThroughPath] = passThroughPath;
        environment[EnvironmentVariables.ErrorStatusCodes] = WebAdapter.FailingStatusCodes;
        return environment;
    }

    /// <summary>
    /// Environment for the Web Adapter: the port Kestrel listens on and the readiness probe. The functions invoked with a
    /// non-HTTP event (the SQS consumer, the gates, the bandit updater) add <see cref="EnvironmentVariables.ErrorStatusCodes"/>
    /// ("HTTP status codes that will cause Lambda invocations to fail", off by default, aws/aws-lambda-web-adapter README):
    /// without it a 5xx answer with an empty body is returned to Lambda as a successful null result: SQS deletes the whole
    /// batch, Step Functions gets a payload with no fields. Not set on the API function, whose 5xx answers are RFC 7807
    /// responses for API Gateway to relay.
    /// </summary>
    public static Dictionary<string, string> WebAdapterEnvironment() => new()
    {
        [EnvironmentVariables.WebAdapterPort] = WebAdapter.Port,
        [EnvironmentVariables.AspNetCoreHttpPorts] = WebAdapter.Port,
        [EnvironmentVariables.ReadinessCheckPath] = WebAdapter.ReadinessCheckPath,
    };

    /// <summary>
    /// A function of the published app behind the Web Adapter (each sets its own routes through the environment), with
    /// X-Ray tracing (its PutTraceSegments/PutTelemetryRecords have no resource-level permissions: CDK grants them on
    /// "*") and its own log group, kept a month: an explicit log group keeps retention in the template, with no
    /// log-retention custom resource holding logs:* on *.
    /// </summary>
    public static Function WebAdapterFunction(Construct scope, string id, PipelineConfig config, string repoRoot,
        string description, Duration timeout, Dictionary<string, string> environment)
    {
        var logs = new LogGroup(scope, "Logs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        return new Function(scope, id, new FunctionProps
        {
            Description = description,
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "bootstrap",
            Code = ApiCode(scope, config, repoRoot),
            Layers = [WebAdapterLayer(scope, "WebAdapter", config)],
            // The memory buys the JIT's start-up CPU as much as room.
            MemorySize = config.LambdaMemoryMb,
            Timeout = timeout,
            Environment = environment,
            Tracing = Tracing.ACTIVE,
            LogGroup = logs,
        });
    }
}
