using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Pipeline.Adapters.Aws.Signing;

/// <summary>
/// Where a signed client sends its requests and how it signs them. <see cref="ServiceUrl"/> overrides the
/// regional endpoint (a local Personalize service, moto_server), as <c>--endpoint-url</c> does for the AWS CLI.
/// </summary>
public sealed record AwsServiceEndpoint(Uri ServiceUrl, string Region, string SigningName, AWSCredentials Credentials)
{
    /// <summary>
    /// The regional endpoint <c>https://{prefix}.{region}.amazonaws.com</c> unless <paramref name="endpointUrl"/> is
    /// given; region and credentials from the SDK's default chains (environment, profile, container/instance role)
    /// unless given.
    /// </summary>
    public static AwsServiceEndpoint Resolve(
        string endpointPrefix, string signingName, string? endpointUrl = null, string? region = null, AWSCredentials? credentials = null)
    {
        var resolvedRegion = region ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName
            ?? throw new InvalidOperationException("No AWS region: set AWS_REGION or configure a profile.");
        var url = endpointUrl is { Length: > 0 }
            ? new Uri(endpointUrl)
            : new Uri($"https://{endpointPrefix}.{resolvedRegion}.amazonaws.com");
        return new AwsServiceEndpoint(url, resolvedRegion, signingName,
            credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials());
    }

    /// <summary>An HttpClient whose requests are signed for this endpoint and resolve relative to it.</summary>
    public HttpClient CreateHttpClient(TimeProvider? time = null, HttpMessageHandler? inner = null) =>
        new(new SigV4Handler(Credentials, Region, SigningName, time ?? TimeProvider.System) { InnerHandler = inner ?? new SocketsHttpHandler() })
        {
            BaseAddress = ServiceUrl,
        };
}
