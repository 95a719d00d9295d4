using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Personalize.Local.Tests.Hosting;

/// <summary>
/// A corpus of malformed requests against every control-plane operation and every runtime and events route, over
/// real Kestrel: each one answers 4xx in Personalize's error shape (never a 5xx, never an empty body; List operations
/// may answer 200, ignoring members they lack), and the data folder is byte for byte what it was before.
/// </summary>
public sealed class MalformedRequestFuzzTests : PersonalizeWire
{
    private static readonly string[] RestRoutes = ["/recommendations", "/personalize-ranking", "/events", "/items", "/users"];

    /// <summary>Bodies no operation accepts: broken syntax, ambiguous or undecodable JSON, wrong shapes and types, extremes.</summary>
    public static readonly string[] Corpus =
    [
        "{", "}", "[]", "\"text\"", "null", "123", "true", "{\"a\":}", "{'name':'x'}", "{\"name\":\"x\",}",
        "{\"name\":\"a\",\"name\":\"b\"}",
        "{\"userId\":\"u\",\"userId\":\"v\",\"campaignArn\":\"arn:aws:personalize:us-east-1:000000000000:campaign/c\"}",
        "{\"name\":\"\\ud800\"}", "{\"userId\":\"\\udc00x\",\"campaignArn\":\"\\ud83d\"}", "{\"\\ud800\":1}",
        "{\"eventList\":[{\"eventType\":\"\\udfff\"}],\"trackingId\":\"t\",\"sessionId\":\"s\"}",
        "{\"name\":123,\"datasetGroupArn\":[],\"campaignArn\":{},\"solutionArn\":true,\"userId\":1.5,\"numResults\":\"x\",\"filterValues\":[],\"eventList\":{},\"items\":\"x\",\"users\":7,\"inputList\":\"x\"}",
        "{\"name\":\"" + new string('a', 70_000) + "\"}",
        "{\"numResults\":1e400,\"userId\":\"u\",\"campaignArn\":\"arn:aws:personalize:us-east-1:000000000000:campaign/c\"}",
        "{\"numResults\":-1,\"maxResults\":0,\"userId\":\"u\"}",
        "{\"datasetGroupArn\":\"not-an-arn\",\"campaignArn\":\"arn:aws:s3:::bucket\",\"solutionArn\":\"\",\"schemaArn\":\"arn:aws:personalize:::\"}",
        new string('[', 5000) + new string(']', 5000),
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201),
        "\u0000\u0001",
    ];

    [Fact]
    public async Task EveryMalformedRequest_Answers4xxInPersonalizesShape_AndStoresNothing()
    {
        var before = Snapshot();
        var targets = Server.Personalize.Operations.Select(o => ("/", (string?)("AmazonPersonalize." + o)))
            .Concat(RestRoutes.Select(r => (r, (string?)null)))
            .Append(("/", (string?)"AmazonPersonalize.NoSuchOperation")).Append(("/", (string?)"Other.CreateDatasetGroup"))
            .ToList();
        var failures = new List<string>();
        var sent = 0;

        foreach (var (path, target) in targets)
        {
            foreach (var body in Corpus)
            {
                sent++;
                var (status, text, errorType) = await PostAsync(path, target, body);
                // A List operation ignores members it does not have, as AWS does: 200, and nothing changes (checked below).
                var problem = (int)status >= 500 ? "5xx"
                    : status == HttpStatusCode.OK ? (target?.Contains(".List", StringComparison.Ordinal) == true ? null : "accepted")
                    : errorType is null ? "no __type in the body" : null;
                if (problem is not null)
                {
                    failures.Add($"{target ?? path} {Shorten(body)} -> {(int)status} {problem}: {Shorten(text)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests:\n" + string.Join('\n', failures.Take(40)));
        Assert.True(sent >= 1000, $"only {sent} requests");
        await Server.Personalize.WhenIdleAsync();
        Assert.Equal(before, Snapshot());
    }

    private const string CreateBody = """{"name":"refused-by-kestrel"}""";

    /// <summary>Requests Kestrel refuses itself, before any middleware: the raw request, the status, the field the message names.</summary>
    public static readonly TheoryData<string, string, int, string> RefusedByKestrel = new()
    {
        { "NUL in the path", Post("/%00", CreateBody), 400, "path" },
        { "NUL in a runtime path", Post("/recommendations%00", """{"campaignArn":"arn:aws:personalize:us-east-1:000000000000:campaign/c","userId":"u"}"""), 400, "path" },
        { "request line over the limit", $"POST /{new string('x', 20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n", 414, "request_line" },
        { "broken request line", "GARBAGE\r\n\r\n", 400, "request_line" },
        { "unknown HTTP version", "POST / HTTP/9.9\r\nHost: localhost\r\n\r\n", 505, "request_line" },
        { "headers over the limit", Post("/", CreateBody, $"X-Big: {new string('b', 40_000)}\r\n"), 431, "headers" },
        { "too many headers", Post("/", CreateBody, string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))), 431, "headers" },
        { "header without a colon", Post("/", CreateBody, "NoColonHere\r\n"), 400, "headers" },
        { "no Host header", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400, "headers" },
        { "HTTP/1.0 post without a length", $"POST / HTTP/1.0\r\nX-Amz-Target: AmazonPersonalize.CreateDatasetGroup\r\n\r\n{CreateBody}", 400, "request" },
    };

    private static string Post(string path, string body, string extraHeaders = "") =>
        $"POST {path} HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonPersonalize.CreateDatasetGroup\r\n" +
        $"Content-Type: application/x-amz-json-1.1\r\n{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    [Theory]
    [MemberData(nameof(RefusedByKestrel))]
    public async Task RequestsKestrelRefuses_AnswerAValidationExceptionNamingTheField(string what, string request, int status, string field)
    {
        var before = Snapshot();

        var answer = await RawHttp.SendAsync(Server.Endpoint, request);

        Assert.True(answer.Status == status, $"{what}: {answer.Status} {answer.Body}");
        Assert.Equal("ValidationException", answer.Headers.GetValueOrDefault("x-amzn-errortype"));
        var error = JsonNode.Parse(answer.Body)!;
        Assert.Equal("ValidationException", error["__type"]?.GetValue<string>());
        var message = error["message"]!.GetValue<string>();
        Assert.True(message.Contains($"'{field}'", StringComparison.Ordinal), $"{what}: the message should name '{field}': {message}");
        await Server.Personalize.WhenIdleAsync();
        Assert.Equal(before, Snapshot());
    }

    private async Task<(HttpStatusCode Status, string Text, string? ErrorType)> PostAsync(string path, string? target, string body)
    {
        var (response, text) = await SendAsync(path, target, body);
        response.Dispose();
        string? errorType = null;
        try
        {
            errorType = JsonNode.Parse(text)?["__type"]?.GetValue<string>();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            // not JSON: reported as a failure above
        }
        return (response.StatusCode, text, errorType);
    }

    private string Snapshot() => string.Join('\n', Directory.Exists(Root)
        ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(Root, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
        : []);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
