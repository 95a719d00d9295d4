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
