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
        catch (JsonException e) when (MemberProblem(e) is { } problem)
        {
            return (null, Problems.Validation(problem.Field, problem.Message));
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation("$", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message));
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException || request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client sent a truncated body or went away: its fault, not the server's, so no Error and no stack trace.
            ClientAborts.Log(request.HttpContext, e);
            return (null, Problems.Validation("$", "The body ended before it was complete."));
        }
    }

    // A member given twice or unknown to the body: the serializer's messages name it by its JSON name.
    private static (string Field, string Message)? MemberProblem(JsonException e)
    {
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            // A repeated member names itself; a repeated dictionary key (as in 'weights') only its path.
            var field = QuotedName(e.Message) is { } duplicate ? Join(e.Path, duplicate) : FieldName(e.Path);
            return (field, field == "$" ? "A member is given more than once." : $"'{field}' is given more than once.");
        }
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && QuotedName(e.Message) is { } unknown)
        {
            var field = Join(e.Path, unknown);
            return (field, $"'{field}' is not a member of this body.");
        }
        return null;
    }

    private static string? QuotedName(string message)
    {
        var start = message.IndexOf('\'');
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start + 1 ? message[(start + 1)..end] : null;
    }

    // The path may stop at the object holding the member or include it.
    private static string Join(string? path, string name)
    {
        var parent = FieldName(path);
        return parent == "$" ? name : parent == name || parent.EndsWith("." + name, StringComparison.Ordinal) ? parent : $"{parent}.{name}";
    }

    // "$.num_results" -> "num_results"; "$" (the document itself) stays as it is.
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // The serializer reports a well-formed value of the wrong type with this wording; anything else is a syntax error.
    private static bool IsTypeMismatch(JsonException e) =>
        e.Path is not (null or "$") && e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
}
