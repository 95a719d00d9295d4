using Amazon.Runtime;
using Pipeline.Adapters.Aws.Signing;
using Pipeline.Domain.Recommendations;

namespace Pipeline.Adapters.Aws.Personalize;

/// <summary>
/// Campaign-backed variants served through the Personalize runtime API (SigV4-signed), on AWS by the regional
/// endpoints and on one machine by the local Personalize service over HTTP: the same client on both sides.
/// </summary>
public sealed class PersonalizeCampaignModels(PersonalizeRuntimeClient runtime, CampaignVersions versions) : ICampaignModels
{
    /// <summary>Overrides the runtime endpoint (<c>https://personalize-runtime.{region}.amazonaws.com</c>).</summary>
    public const string RuntimeEndpointSetting = "PIPELINE_PERSONALIZE_RUNTIME_ENDPOINT";

    /// <summary>Overrides the control-plane endpoint DescribeCampaign goes to (<c>https://personalize.{region}.amazonaws.com</c>).</summary>
    public const string ControlEndpointSetting = "PIPELINE_PERSONALIZE_ENDPOINT";

    /// <summary>
    /// Clients for the regional endpoints, or the given ones; region and credentials from the SDK's chains unless given
    /// (a local Personalize checks no signature, so any static credentials do there).
    /// </summary>
    public static PersonalizeCampaignModels Create(TimeSpan refreshInterval, TimeProvider time,
        string? runtimeEndpoint = null, string? controlEndpoint = null, string? region = null, AWSCredentials? credentials = null)
    {
        var runtimeHttp = AwsServiceEndpoint.Resolve(PersonalizeRuntimeClient.EndpointPrefix, PersonalizeRuntimeClient.SigningName,
            runtimeEndpoint, region, credentials).CreateHttpClient(time);
        var controlHttp = AwsServiceEndpoint.Resolve(PersonalizeCampaignClient.EndpointPrefix, PersonalizeCampaignClient.SigningName,
            controlEndpoint, region, credentials).CreateHttpClient(time);
        // A description is a label on the answer: it never holds a request up for long.
        controlHttp.Timeout = TimeSpan.FromSeconds(2);
        return new PersonalizeCampaignModels(new PersonalizeRuntimeClient(runtimeHttp),
            new CampaignVersions(new PersonalizeCampaignClient(controlHttp), refreshInterval, time));
    }

    public ICampaignModel For(string campaignArn, string recipe, IReadOnlyDictionary<string, string>? context = null) =>
        new PersonalizeCampaignModel(runtime, versions, campaignArn, recipe, context);
}
