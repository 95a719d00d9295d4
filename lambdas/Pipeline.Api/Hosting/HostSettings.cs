using Pipeline.Api.Workflows;
using Pipeline.Domain.Scheduling;
using Pipeline.Engine.InHouse;

namespace Pipeline.Api.Hosting;

/// <summary>The jobs one package does, one per Lambda function; the infra sets PIPELINE_ROLE on each.</summary>
public static class PipelineRoles
{
    /// <summary>The HTTP API (the default: the local process and the API function).</summary>
    public const string Api = "api";

    /// <summary>The SQS consumer: the Web Adapter's pass-through path only.</summary>
    public const string EventsConsumer = "events-consumer";

    /// <summary>The training workflow's metric gate.</summary>
    public const string MetricGate = "metric-gate";

    /// <summary>The training workflow's in-house trainer.</summary>
    public const string InHouseTrainer = "in-house-trainer";

    /// <summary>The bandits' scheduled weight update (an EventBridge rule invokes it every period).</summary>
    public const string BanditUpdater = "bandit-updater";

    /// <summary>The training workflow's online gate (the challenger in the experiment, promoted or rolled back on its results).</summary>
    public const string OnlineGate = "online-gate";

    public static IReadOnlyList<string> All { get; } = [Api, EventsConsumer, MetricGate, InHouseTrainer, BanditUpdater, OnlineGate];
}

/// <summary>
/// What Program.cs composes, read from configuration (environment on Lambda) and checked before anything is built:
/// PIPELINE_MODE (<c>local</c> | <c>aws</c>), PIPELINE_ROLE and what that role needs. A bad value is a refusal to start,
/// with one line naming the setting, rather than a function that fails on its first request.
/// </summary>
public sealed record HostSettings(bool Aws, string Role, InHouseModelsOptions InHouseModels, IReadOnlyList<string> Problems)
{
    public const string ModeSetting = "PIPELINE_MODE";
    public const string RoleSetting = "PIPELINE_ROLE";
    public const string PassThroughSetting = "AWS_LWA_PASS_THROUGH_PATH";
    public const string DataBucketSetting = "PIPELINE_DATA_BUCKET";

    /// <summary>Where the Web Adapter posts the in-house trainer's invoke payload (TrainerConstruct sets it).</summary>
    public const string InHouseTrainerPath = "/internal/in-house-trainer";

    public string? PassThroughPath { get; init; }

    /// <summary>The problems as the one line a refusing process prints.</summary>
    public string ProblemLine => "Pipeline.Api refuses to start: " + string.Join("; ", Problems);

    public static HostSettings Bind(IConfiguration configuration)
    {
        var problems = new List<string>();
        var mode = configuration[ModeSetting] is { Length: > 0 } m ? m.ToLowerInvariant() : "local";
        if (mode is not ("local" or "aws"))
            problems.Add($"{ModeSetting} must be local or aws (got '{configuration[ModeSetting]}')");
        var aws = mode == "aws";
        var role = configuration[RoleSetting] is { Length: > 0 } r ? r.ToLowerInvariant() : PipelineRoles.Api;
        if (!PipelineRoles.All.Contains(role))
            problems.Add($"{RoleSetting} must be one of {string.Join(", ", PipelineRoles.All)} (got '{configuration[RoleSetting]}')");

        var inHouse = configuration.GetSection(InHouseModelsOptions.Section).Get<InHouseModelsOptions>() ?? new InHouseModelsOptions();
        inHouse.Bucket = configuration[DataBucketSetting] ?? "";
        var passThrough = configuration[PassThroughSetting] is { Length: > 0 } p ? p : null;

        void Require(params string[] names)
        {
            foreach (var name in names)
            {
                if (string.IsNullOrWhiteSpace(configuration[name])) problems.Add($"{name} is required for {RoleSetting}={role}");
            }
        }
        void RequirePassThrough(string path)
        {
            if (passThrough != path) problems.Add($"{PassThroughSetting} must be {path} for {RoleSetting}={role} (got '{passThrough}'): the Web Adapter posts the invoke there");
        }
        void RequireAws()
        {
            if (!aws) problems.Add($"{RoleSetting}={role} runs only with {ModeSetting}=aws");
        }

        switch (role)
        {
            case PipelineRoles.Api when aws:
                Require("PIPELINE_EXPERIMENTS_TABLE", "PIPELINE_ASSIGNMENTS_TABLE", "PIPELINE_ITEMS_TABLE",
                    "PIPELINE_USERS_TABLE", "PIPELINE_AGGREGATES_TABLE", "PIPELINE_EVENTS_QUEUE_URL");
                problems.AddRange(inHouse.Validate(bucketRequired: true));
                if (passThrough is not null) problems.Add($"{PassThroughSetting} must not be set for {RoleSetting}={role}: API Gateway would reach that path");
                if (StepFunctionsWorkflowsHosting.Configured(configuration))
                {
                    // Signed calls name their region; the SDK's fallback (a profile's) would guess one rather than say.
                    if (string.IsNullOrWhiteSpace(configuration["AWS_REGION"]))
                        problems.Add($"AWS_REGION is required when {StepFunctionsWorkflowsHosting.TrainingArnSetting} or {StepFunctionsWorkflowsHosting.TeardownArnSetting} is set: Step Functions is called in that region");
                    if (configuration[StepFunctionsWorkflowsHosting.ScheduleSetting] is { Length: > 0 } expression)
                    {
                        try
                        {
                            ScheduleExpression.Parse(expression, DateTimeOffset.UnixEpoch);
                        }
                        catch (ScheduleExpressionException e)
                        {
                            problems.Add($"{StepFunctionsWorkflowsHosting.ScheduleSetting}: {e.Message}");
                        }
                    }
                }
                break;
            case PipelineRoles.EventsConsumer:
                RequireAws();
                // It stores the events, and records the exposures and attributions the API queues with them.
                Require("PIPELINE_EVENTS_TABLE", "PIPELINE_EXPOSURES_TABLE", "PIPELINE_AGGREGATES_TABLE", PassThroughSetting);
                break;
            case PipelineRoles.MetricGate:
                RequirePassThrough(AwsHosting.MetricGatePath);
                break;
            case PipelineRoles.BanditUpdater:
                RequireAws();
                // It reads the experiments and their daily aggregates and writes the bandits' new weights: nothing else.
                Require("PIPELINE_EXPERIMENTS_TABLE", "PIPELINE_AGGREGATES_TABLE");
                RequirePassThrough(AwsHosting.BanditUpdaterPath);
                break;
            case PipelineRoles.OnlineGate:
                RequireAws();
                RequirePassThrough(AwsHosting.OnlineGatePath);
                Require("PIPELINE_EXPERIMENTS_TABLE", "PIPELINE_AGGREGATES_TABLE");
                break;
            case PipelineRoles.InHouseTrainer:
                RequireAws();
                RequirePassThrough(InHouseTrainerPath);
                problems.AddRange(inHouse.Validate(bucketRequired: true));
                break;
        }
        return new HostSettings(aws, role, inHouse, problems) { PassThroughPath = passThrough };
    }
}
