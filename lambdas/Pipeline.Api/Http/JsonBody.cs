using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Pipeline.Api.Http;

/// <summary>
/// Reads a JSON body ourselves rather than through parameter binding, so that malformed JSON and wrong
/// types come back as problem details naming the field (binding would answer a bare 400).
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "The body must be JSON with content-type application/json."));
        }
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken);
            return body is null
                ? (null, Problems.Validation("$", "The body must be a JSON object."))
                : (body, null);
        }
        catch (JsonException e) when (IsTypeMismatch(e))
        {
            var field = FieldName(e.Path);
            return (null, Problems.Validation(field, $"'{field}' has the wrong type or an invalid value."));
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation("$", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message));
        }
    }

    // "$.num_results" -> "num_results"; "$" (the document itself) stays as it is.
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // The serializer reports a well-formed value of the wrong type with this wording; anything else is a syntax error.
    private static bool IsTypeMismatch(JsonException e) =>
        e.Path is not (null or "$") && e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
}
