using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Api.Security;

public enum ApiKeyScope { Client, Admin }

/// <summary>Creates keys and checks presented ones against the stored hashes.</summary>
public sealed class ApiKeys
{
    public const string Header = "x-api-key";

    private readonly HashSet<string> _client;
    private readonly HashSet<string> _admin;

    public ApiKeys(ApiKeyOptions options)
    {
        _client = new HashSet<string>(options.ClientKeySha256.Select(Normalize), StringComparer.Ordinal);
        _admin = new HashSet<string>(options.AdminKeySha256.Select(Normalize), StringComparer.Ordinal);
        Enabled = options.Enabled;
    }

    public bool Enabled { get; }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new random key: a scope prefix and 32 bytes of entropy, URL-safe.</summary>
    public static string Create(ApiKeyScope scope) =>
        (scope == ApiKeyScope.Admin ? "pa_" : "pk_") + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The scope the key grants, or null for an unknown key. The hash is the partition key for rate limits.</summary>
    public (ApiKeyScope? Scope, string Hash) Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (null, "");
        }
        var hash = Hash(presented);
        return _admin.Contains(hash) ? (ApiKeyScope.Admin, hash)
            : _client.Contains(hash) ? (ApiKeyScope.Client, hash)
            : (null, hash);
    }

    public static void LogProtection(ILogger<ApiKeys> logger, ApiKeyOptions options)
    {
        if (options.Enabled)
        {
            logger.LogInformation(new EventId(1101, "ApiKeysRequired"), "{Protection}", options.Describe());
        }
        else
        {
            logger.LogWarning(new EventId(1100, "ApiOpen"), "{Protection}", options.Describe());
        }
    }

    private static string Normalize(string hash) => hash.Trim().ToLowerInvariant();
}
