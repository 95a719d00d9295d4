namespace Pipeline.Api.Security;

/// <summary>
/// API keys, stored as SHA-256 hashes only. Client keys call the serving endpoints; admin keys call those
/// and the admin endpoints (experiments, catalog writes). With no key configured the API is open, as when
/// API Gateway checks keys in front of it.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    public IList<string> ClientKeySha256 { get; set; } = [];

    public IList<string> AdminKeySha256 { get; set; } = [];

    /// <summary>Requests a second each key may make (token bucket, with bursts of the same size).</summary>
    public int RequestsPerSecondPerKey { get; set; } = 20_000;

    public bool Enabled => ClientKeySha256.Count > 0 || AdminKeySha256.Count > 0;
}
