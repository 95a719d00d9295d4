using System.Globalization;

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

    /// <summary>
    /// Reads the section the way operators write it: a hash list is either one value (<c>ApiKeys__AdminKeySha256=HEX</c>,
    /// commas separating several) or indexed entries (<c>ApiKeys__AdminKeySha256__0=HEX</c>). The configuration binder
    /// alone binds only the indexed form and silently leaves a plain value out, which left the API open.
    /// Throws <see cref="InvalidConfigurationException"/> for anything that is not a SHA-256 hex hash or a positive rate.
    /// </summary>
    public static ApiKeyOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new ApiKeyOptions
        {
            ClientKeySha256 = Hashes(section.GetSection(nameof(ClientKeySha256))),
            AdminKeySha256 = Hashes(section.GetSection(nameof(AdminKeySha256))),
        };
        if (section[nameof(RequestsPerSecondPerKey)] is { } rate)
        {
            options.RequestsPerSecondPerKey = int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new InvalidConfigurationException($"{Section}:{nameof(RequestsPerSecondPerKey)} must be a positive whole number, got '{rate}'.");
        }
        return options;
    }

    /// <summary>Which protection is active, in one line for the startup log.</summary>
    public string Describe() => Enabled
        ? $"API keys required: {ClientKeySha256.Count} client key(s), {AdminKeySha256.Count} admin key(s); " +
          (AdminKeySha256.Count == 0 ? "no admin key, so admin routes answer 403 to every key" : "admin routes need an admin key") +
          $"; {RequestsPerSecondPerKey} requests/s per key"
        : $"No API key configured ({Section}:{nameof(ClientKeySha256)}, {Section}:{nameof(AdminKeySha256)}): every route, admin included, is open";

    private static List<string> Hashes(IConfigurationSection section)
    {
        var values = new List<string>();
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            values.AddRange(section.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        values.AddRange(section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0));
        foreach (var value in values)
        {
            if (value.Length != 64 || !value.All(char.IsAsciiHexDigit))
            {
                // The value itself is not echoed: a key pasted where its hash belongs must not reach the logs.
                throw new InvalidConfigurationException(
                    $"{Section}:{section.Key} must hold SHA-256 hashes of keys as 64 hex characters; one value has {value.Length} characters" +
                    (value.All(char.IsAsciiHexDigit) ? "." : " that are not all hex."));
            }
        }
        return [.. values.Select(v => v.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }
}
