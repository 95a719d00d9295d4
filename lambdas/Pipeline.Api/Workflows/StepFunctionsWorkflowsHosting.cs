using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Signing;
using Pipeline.Adapters.Aws.StepFunctions;
using Pipeline.Api.Hosting;
using Pipeline.DeploymentContract;

namespace Pipeline.Api.Workflows;

/// <summary>
/// The API function's workflows on AWS, from the environment ApiConstruct.ReadWorkflows sets: the machines' ARNs, the
/// nightly rule's schedule expression and input (constants of the deployment's config). Without the training ARN nothing
/// is registered and the workflow routes answer 501. HostSettings checks before anything is built that the region is
/// set and the schedule expression parses. AWS_ENDPOINT_URL_SFN (the SDKs' service-specific endpoint setting) points
/// Step Functions alone elsewhere; AWS_ENDPOINT_URL, all services.
/// </summary>
public static class StepFunctionsWorkflowsHosting
{
    public const string EndpointSetting = "AWS_ENDPOINT_URL_SFN";

    /// <summary>Whether the configuration names a state machine (and so the API will call Step Functions).</summary>
    public static bool Configured(IConfiguration configuration) =>
        configuration[EnvironmentVariables.TrainingStateMachineArn] is { Length: > 0 } || configuration[EnvironmentVariables.TeardownStateMachineArn] is { Length: > 0 };

    public static WebApplicationBuilder AddStepFunctionsWorkflows(this WebApplicationBuilder builder, AwsClients clients)
    {
        var configuration = builder.Configuration;
        if (configuration[EnvironmentVariables.TrainingStateMachineArn] is not { Length: > 0 } training) return builder;
        // Training first: the console's start form offers it by default.
        var machines = new Dictionary<string, string> { ["training"] = training };
        if (configuration[EnvironmentVariables.TeardownStateMachineArn] is { Length: > 0 } teardown) machines["teardown"] = teardown;
        var schedule = new JsonObject { ["scheduleExpression"] = configuration[EnvironmentVariables.TrainingSchedule] is { Length: > 0 } expression ? expression : null };
        if (configuration[EnvironmentVariables.TrainingScheduleInput] is { Length: > 0 } input)
        {
            schedule["input"] = JsonNode.Parse(input) as JsonObject
                ?? throw new InvalidConfigurationException($"{EnvironmentVariables.TrainingScheduleInput} must be a JSON object.");
        }
        var endpointUrl = configuration[EndpointSetting] is { Length: > 0 } sfn ? sfn : configuration["AWS_ENDPOINT_URL"];
        var region = clients.ConfiguredRegion
            ?? throw new InvalidConfigurationException($"{EnvironmentVariables.TrainingStateMachineArn} is set but AWS_REGION is not: Step Functions is called in the region it names.");
        var endpoint = AwsServiceEndpoint.Resolve(StepFunctionsClient.EndpointPrefix, StepFunctionsClient.SigningName,
            endpointUrl, region, clients.Credentials());
        builder.Services.AddSingleton<IWorkflowExecutions>(services => new StepFunctionsWorkflows(
            new StepFunctionsClient(endpoint.CreateHttpClient()), machines, schedule, services.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
