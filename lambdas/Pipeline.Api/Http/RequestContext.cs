namespace Pipeline.Api.Http;

/// <summary>
/// Personalize's <c>context</c> (contextual metadata, e.g. <c>{"DEVICE":"mobile"}</c>) on recommendations and rankings:
/// validated and accepted for compatibility; the local engine has no contextual features, so it changes nothing locally.
/// </summary>
public static class RequestContext
{
    public const int MaxEntries = 50;
    public const int MaxValueLength = 1000;

    public static void Validate(IReadOnlyDictionary<string, string>? context, ValidationErrors errors)
    {
        if (context is null)
        {
            return;
        }
        if (context.Count > MaxEntries)
        {
            errors.Add("context", $"'context' may hold at most {MaxEntries} entries.");
            return;
        }
        foreach (var (key, value) in context)
        {
            if (string.IsNullOrWhiteSpace(key) || value is null || value.Length > MaxValueLength)
            {
                errors.Add($"context.{key}", $"A context entry needs a name and a value of at most {MaxValueLength} characters.");
            }
        }
    }
}
