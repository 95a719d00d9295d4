using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.Adapters.Aws.Http;

/// <summary>
/// The two JSON wire protocols of the clients here: REST-JSON (Personalize: the operation is the path) and
/// JSON 1.0/1.1 (EventBridge, Step Functions: POST / with the operation in X-Amz-Target). Signing is the HttpClient's handler's job.
/// </summary>
internal static class AwsJsonCalls
{
    public static async Task<TResponse?> PostAsync<TRequest, TResponse>(
        HttpClient http, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse>? responseType,
        string contentType = "application/json", string? target = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response, bytes);
        }
        return responseType is null || bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, responseType);
    }

    /// <summary>A JSON 1.0/1.1 call whose request and answer stay untyped (the answer an object, empty when the body is).</summary>
    public static async Task<JsonObject> PostTargetAsync(
        HttpClient http, string target, JsonObject body, string contentType, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var response = await http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response, bytes);
        }
        return bytes.Length == 0 ? [] : JsonNode.Parse(bytes) as JsonObject
            ?? throw new AwsApiException("InvalidResponse", $"{target} answered a body that is not a JSON object.", response.StatusCode);
    }

    /// <summary>
    /// The error code comes from x-amzn-ErrorType ("Code:namespace") or the body's __type ("namespace#Code");
    /// the message from the body's message or Message.
    /// </summary>
    private static AwsApiException Error(HttpResponseMessage response, byte[] body)
    {
        string? code = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("__type") && code is null)
                    {
                        code = property.Value.GetString()?.Split('#')[^1];
                    }
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        message = property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body);
        }
        return new AwsApiException(code ?? $"Http{(int)response.StatusCode}", message ?? response.ReasonPhrase ?? "", response.StatusCode);
    }
}
