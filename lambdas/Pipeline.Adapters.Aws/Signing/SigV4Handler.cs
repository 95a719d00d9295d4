using Amazon.Runtime;

namespace Pipeline.Adapters.Aws.Signing;

/// <summary>
/// Signs every request that passes through it with the current credentials. The credentials object is the
/// SDK's (AWSSDK.Core), so role credentials on Lambda are refreshed by the SDK before they expire.
/// </summary>
public sealed class SigV4Handler(AWSCredentials credentials, string region, string service, TimeProvider time)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = await credentials.GetCredentialsAsync();
        var key = new SigV4Credentials(current.AccessKey, current.SecretKey, current.UseToken ? current.Token : null);
        await SigV4Signer.SignAsync(request, key, region, service, time.GetUtcNow(), cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
