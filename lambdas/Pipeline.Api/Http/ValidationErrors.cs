namespace Pipeline.Api.Http;

/// <summary>Collects the fields at fault, in the shape of RFC 7807 validation problem details.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    public IDictionary<string, string[]> ToDictionary() => _errors;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public string? Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"'{field}' is required.");
            return null;
        }
        if (value.Length > MaxIdLength)
        {
            Add(field, $"'{field}' must be at most {MaxIdLength} characters.");
            return null;
        }
        return value;
    }

    public string? Optional(string field, string? value) =>
        value is null ? null : Required(field, value);

    /// <summary>
    /// An identifier: required, at most 256 characters, no control characters (they corrupt logs and exports) and,
    /// when <paramref name="readByPath"/>, no '/' (an id a route reads back, like <c>GET /users/{id}</c>, could be
    /// stored but never read).
    /// </summary>
    public string? Id(string field, string? value, bool readByPath = false)
    {
        if (Required(field, value) is not { } id)
        {
            return null;
        }
        if (id.Any(char.IsControl) || (readByPath && id.Contains('/')))
        {
            Add(field, readByPath
                ? $"'{field}' must not contain control characters or '/'."
                : $"'{field}' must not contain control characters.");
            return null;
        }
        return id;
    }

    public string? OptionalId(string field, string? value, bool readByPath = false) =>
        value is null ? null : Id(field, value, readByPath);

    private const int MaxIdLength = 256;
}
