using System.Globalization;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;

namespace Pipeline.Infra;

/// <summary>
/// Deployment parameters, read from CDK context (cdk.json or <c>-c key=value</c>) with defaults,
/// so a synth needs no environment variables, credentials or lookups.
/// </summary>
public sealed record PipelineConfig
{
    public string ProjectName { get; init; } = "pipeline";
    public BillingMode TableBillingMode { get; init; } = BillingMode.PAY_PER_REQUEST;
    public int TableReadCapacity { get; init; } = 5;
    public int TableWriteCapacity { get; init; } = 5;
    public int LambdaMemoryMb { get; init; } = 1024;
    public string RetrainingSchedule { get; init; } = "cron(0 3 * * ? *)";
    public string? AlertEmail { get; init; }
    public double ApiThrottleRateLimit { get; init; } = 100;
    public int ApiThrottleBurstLimit { get; init; } = 200;
    public double ApiLatencyP99ThresholdMs { get; init; } = 2000;

    /// <summary>
    /// Version of the public AWS Lambda Web Adapter layer (x86_64), <c>arn:aws:lambda:${AWS::Region}:753240598075:layer:LambdaAdapterLayerX86:30</c>:
    /// the version the project's README and docs/guide/src/getting-started/zip-packages.md list for commercial regions
    /// (aws/aws-lambda-web-adapter, the 1.x line: v1.0.0 made AWS_LWA_ERROR_STATUS_CODES keep the response body, #668, and
    /// v1.0.1 fixed four dependency advisories). Chosen for those two: the consumer and the metric gate depend on
    /// AWS_LWA_ERROR_STATUS_CODES. Override with <c>-c lambdaAdapterLayerVersion=N</c> after checking a newer release's notes.
    /// </summary>
    public int LambdaAdapterLayerVersion { get; init; } = 30;

    /// <summary>Deploy to this region / account instead of the CLI profile's (environment-agnostic stacks when not set).</summary>
    public string? Region { get; init; }
    public string? Account { get; init; }

    /// <summary>
    /// The Personalize event tracker's trackingId (CreateEventTracker's answer): when set, the events consumer forwards
    /// every event to it with PutEvents; when not, events are stored and archived only.
    /// </summary>
    public string? PersonalizeTrackingId { get; init; }

    /// <summary>Where <c>dotnet publish</c> of Pipeline.Api puts its output, relative to the repo root.</summary>
    public string ApiPublishDir { get; init; } = "artifacts/lambda/api";

    /// <summary>
    /// The experiment whose variants the nightly run points at the new campaigns (by recipe). The nightly run trains
    /// the dataset group named like the project (Personalize IAM is scoped by that prefix).
    /// </summary>
    public string TrainingExperiment { get; init; } = "default";

    /// <summary>The share of recommendation responses served by a fallback (percent, per 5 minutes) that pages.</summary>
    public double ApiFallbackRateThresholdPercent { get; init; } = 5;

    /// <summary>Puts an AWS WAF web ACL (AWS's common rule set and a per-IP rate rule) in front of the API stage.</summary>
    public bool EnableWaf { get; init; }

    /// <summary>Requests per 5 minutes from one IP address above which the WAF blocks it.</summary>
    public int WafRateLimitPer5Minutes { get; init; } = 2000;

    public int TrainingPollSeconds { get; init; } = 300;
    public int TrainingMaxPollAttempts { get; init; } = 288;

    public static PipelineConfig FromContext(Node node)
    {
        var d = new PipelineConfig();
        return new PipelineConfig
        {
            ProjectName = Str(node, "projectName") ?? d.ProjectName,
            TableBillingMode = (Str(node, "tableBillingMode") ?? "PAY_PER_REQUEST").ToUpperInvariant() switch
            {
                "PAY_PER_REQUEST" or "ON_DEMAND" => BillingMode.PAY_PER_REQUEST,
                "PROVISIONED" => BillingMode.PROVISIONED,
                var other => throw new ArgumentException($"tableBillingMode must be PAY_PER_REQUEST or PROVISIONED, not '{other}'"),
            },
            TableReadCapacity = Int(node, "tableReadCapacity") ?? d.TableReadCapacity,
            TableWriteCapacity = Int(node, "tableWriteCapacity") ?? d.TableWriteCapacity,
            LambdaMemoryMb = Int(node, "lambdaMemoryMb") ?? d.LambdaMemoryMb,
            RetrainingSchedule = Str(node, "retrainingSchedule") ?? d.RetrainingSchedule,
            AlertEmail = Str(node, "alertEmail"),
            ApiThrottleRateLimit = Dbl(node, "apiThrottleRateLimit") ?? d.ApiThrottleRateLimit,
            ApiThrottleBurstLimit = Int(node, "apiThrottleBurstLimit") ?? d.ApiThrottleBurstLimit,
            ApiLatencyP99ThresholdMs = Dbl(node, "apiLatencyP99ThresholdMs") ?? d.ApiLatencyP99ThresholdMs,
            LambdaAdapterLayerVersion = Int(node, "lambdaAdapterLayerVersion") ?? d.LambdaAdapterLayerVersion,
            ApiPublishDir = Str(node, "apiPublishDir") ?? d.ApiPublishDir,
            TrainingExperiment = Str(node, "trainingExperiment") ?? d.TrainingExperiment,
            Region = Str(node, "region"),
            Account = Str(node, "account"),
            PersonalizeTrackingId = Str(node, "personalizeTrackingId"),
            ApiFallbackRateThresholdPercent = Dbl(node, "apiFallbackRateThresholdPercent") ?? d.ApiFallbackRateThresholdPercent,
            EnableWaf = Str(node, "enableWaf") is { } waf && bool.Parse(waf),
            WafRateLimitPer5Minutes = Int(node, "wafRateLimitPer5Minutes") ?? d.WafRateLimitPer5Minutes,
            TrainingPollSeconds = Int(node, "trainingPollSeconds") ?? d.TrainingPollSeconds,
            TrainingMaxPollAttempts = Int(node, "trainingMaxPollAttempts") ?? d.TrainingMaxPollAttempts,
        };
    }

    // Context values are strings when given with -c and JSON values when they come from cdk.json;
    // an empty string means "not set" so cdk.json can document a key without setting it.
    private static string? Str(Node node, string key) =>
        node.TryGetContext(key) switch
        {
            null => null,
            string s when string.IsNullOrWhiteSpace(s) => null,
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        };

    private static int? Int(Node node, string key) =>
        Str(node, key) is { } s ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    private static double? Dbl(Node node, string key) =>
        Str(node, key) is { } s ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
}
