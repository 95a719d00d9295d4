using Pipeline.Api.Workflows;
using Pipeline.DeploymentContract;
using Pipeline.Domain.Scheduling;
using Pipeline.Engine.InHouse;

namespace Pipeline.Api.Hosting;

/// <summary>
/// What Program.cs composes, read from configuration (environment on Lambda) and checked before anything is built:
/// PIPELINE_MODE (<c>local</c> | <c>aws</c>), PIPELINE_ROLE (<see cref="PipelineRoles"/>) and what that role needs. A bad
/// value is a refusal to start, with one line naming the setting, rather than a function that fails on its first request.
/// The names and values are the deployment contract's (<see cref="EnvironmentVariables"/>), the ones the infra sets.
/// </summary>
public sealed record HostSettings(bool Aws, string Role, InHouseModelsOptions InHouseModels, IReadOnlyList<string> Problems)
{
    public string? PassThroughPath { get; init; }

    /// <summary>The problems as the one line a refusing process prints.</summary>
    public string ProblemLine => "Pipeline.Api refuses to start: " + string.Join("; ", Problems);

    public static HostSettings Bind(IConfiguration configuration)
    {
        var problems = new List<string>();
        var mode = configuration[EnvironmentVariables.Mode] is { Length: > 0 } m ? m.ToLowerInvariant() : PipelineModes.Local;
        if (mode is not (PipelineModes.Local or PipelineModes.Aws))
            problems.Add($"{EnvironmentVariables.Mode} must be {PipelineModes.Local} or {PipelineModes.Aws} (got '{configuration[EnvironmentVariables.Mode]}')");
        var aws = mode == PipelineModes.Aws;
        var role = configuration[EnvironmentVariables.Role] is { Length: > 0 } r ? r.ToLowerInvariant() : PipelineRoles.Api;
        if (!PipelineRoles.All.Contains(role))
            problems.Add($"{EnvironmentVariables.Role} must be one of {string.Join(", ", PipelineRoles.All)} (got '{configuration[EnvironmentVariables.Role]}')");

        var inHouse = configuration.GetSection(InHouseModelsOptions.Section).Get<InHouseModelsOptions>() ?? new InHouseModelsOptions();
        inHouse.Bucket = configuration[EnvironmentVariables.DataBucket] ?? "";
        var passThrough = configuration[EnvironmentVariables.PassThroughPath] is { Length: > 0 } p ? p : null;

        void Require(params string[] names)
        {
            foreach (var name in names)
            {
                if (string.IsNullOrWhiteSpace(configuration[name])) problems.Add($"{name} is required for {EnvironmentVariables.Role}={role}");
            }
        }
        void RequirePassThrough(string path)
        {
            if (passThrough != path) problems.Add($"{EnvironmentVariables.PassThroughPath} must be {path} for {EnvironmentVariables.Role}={role} (got '{passThrough}'): the Web Adapter posts the invoke there");
        }
        void RequireAws()
        {
            if (!aws) problems.Add($"{EnvironmentVariables.Role}={role} runs only with {EnvironmentVariables.Mode}={PipelineModes.Aws}");
        }

        switch (role)
        {
            case PipelineRoles.Api when aws:
                Require(EnvironmentVariables.ExperimentsTable, EnvironmentVariables.AssignmentsTable, EnvironmentVariables.ItemsTable,
                    EnvironmentVariables.UsersTable, EnvironmentVariables.AggregatesTable, EnvironmentVariables.EventsQueueUrl);
                problems.AddRange(inHouse.Validate(bucketRequired: true));
                if (passThrough is not null) problems.Add($"{EnvironmentVariables.PassThroughPath} must not be set for {EnvironmentVariables.Role}={role}: API Gateway would reach that path");
                if (StepFunctionsWorkflowsHosting.Configured(configuration))
                {
                    // Signed calls name their region; the SDK's fallback (a profile's) would guess one rather than say.
                    if (string.IsNullOrWhiteSpace(configuration["AWS_REGION"]))
                        problems.Add($"AWS_REGION is required when {EnvironmentVariables.TrainingStateMachineArn} or {EnvironmentVariables.TeardownStateMachineArn} is set: Step Functions is called in that region");
                    if (configuration[EnvironmentVariables.TrainingSchedule] is { Length: > 0 } expression)
                    {
                        try
                        {
                            ScheduleExpression.Parse(expression, DateTimeOffset.UnixEpoch);
                        }
                        catch (ScheduleExpressionException e)
                        {
                            problems.Add($"{EnvironmentVariables.TrainingSchedule}: {e.Message}");
                        }
                    }
                }
                break;
            case PipelineRoles.EventsConsumer:
                RequireAws();
                // It stores the events, and records the exposures and attributions the API queues with them.
                Require(EnvironmentVariables.EventsTable, EnvironmentVariables.ExposuresTable, EnvironmentVariables.AggregatesTable, EnvironmentVariables.PassThroughPath);
                break;
            case PipelineRoles.MetricGate:
                RequirePassThrough(PassThroughPaths.MetricGate);
                break;
            case PipelineRoles.BanditUpdater:
                RequireAws();
                // It reads the experiments and their daily aggregates and writes the bandits' new weights: nothing else.
                Require(EnvironmentVariables.ExperimentsTable, EnvironmentVariables.AggregatesTable);
                RequirePassThrough(PassThroughPaths.BanditUpdater);
                break;
            case PipelineRoles.OnlineGate:
                RequireAws();
                RequirePassThrough(PassThroughPaths.OnlineGate);
                Require(EnvironmentVariables.ExperimentsTable, EnvironmentVariables.AggregatesTable);
                break;
            case PipelineRoles.InHouseTrainer:
                RequireAws();
                RequirePassThrough(PassThroughPaths.InHouseTrainer);
                problems.AddRange(inHouse.Validate(bucketRequired: true));
                break;
        }
        return new HostSettings(aws, role, inHouse, problems) { PassThroughPath = passThrough };
    }
}
