using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Kestrel;

namespace Pipeline.Personalize.Local.Hosting;

/// <summary>
/// The local Personalize's answer to a request Kestrel refuses itself (a NUL in the path, 414, 431, a broken request
/// line): a <c>ValidationException</c> in the services' JSON error shape (<c>__type</c> and <c>x-amzn-ErrorType</c>),
/// its message naming the part of the request at fault the way AWS names a member ("Value at 'path' failed …").
/// </summary>
public static class KestrelRefusalErrors
{
    public const string ErrorType = "ValidationException";

    public static RefusalBody Render(KestrelRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var error = new JsonObject
        {
            ["__type"] = ErrorType,
            ["message"] = $"1 validation error detected: Value at '{refusal.Field}' failed to satisfy constraint: {refusal.Message}",
        };
        return new RefusalBody(PersonalizeApi.JsonProtocolContentType, Encoding.UTF8.GetBytes(error.ToJsonString()),
            [new("x-amzn-ErrorType", ErrorType)]);
    }
}
