using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Pipeline.Adapters.Aws.Signing;
using Pipeline.Api.Hosting;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// Calls to the rehearsal's moto_server: the SDK clients the API uses (<see cref="AwsClients"/>, configured as a function
/// process is), and SigV4-signed HTTP for the services with no SDK package here (EventBridge's JSON 1.1, SNS's Query
/// protocol) and for DynamoDB requests already in its wire JSON (what the workflow's tasks carry).
/// </summary>
public sealed class MotoAws(Uri endpoint)
{
    public const string AccessKey = "testing";

    public Uri Endpoint { get; } = endpoint;

    /// <summary>What a process pointed at moto gets: endpoint, region and dummy keys.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = endpoint.ToString().TrimEnd('/'),
        ["AWS_REGION"] = MotoServerProcess.Region,
        ["AWS_DEFAULT_REGION"] = MotoServerProcess.Region,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = AccessKey,
    };

    public AwsClients Clients => new(new ConfigurationBuilder().AddInMemoryCollection(Environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))).Build());

    public HttpClient Signed(string signingName) =>
        AwsServiceEndpoint.Resolve(signingName, signingName, Endpoint.ToString(), MotoServerProcess.Region, new BasicAWSCredentials(AccessKey, AccessKey)).CreateHttpClient();

    /// <summary>
    /// One JSON-protocol call (<c>X-Amz-Target</c>); an error answer becomes the exception Step Functions raises for it,
    /// <c>{errorPrefix}.{Code}</c> (e.g. DynamoDB.ConditionalCheckFailedException), with moto's message.
    /// </summary>
    public async Task<JsonNode?> JsonAsync(string signingName, string target, string contentType, JsonNode body, string errorPrefix, CancellationToken cancellationToken)
    {
        using var http = Signed(signingName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        if (response.IsSuccessStatusCode) return json;
        var code = ((string?)json?["__type"])?.Split('#')[^1] ?? $"Http{(int)response.StatusCode}";
        throw new Pipeline.StatesLanguage.Tasks.TaskFailedException($"{errorPrefix}.{code}", (string?)json?["message"] ?? (string?)json?["Message"] ?? text);
    }

    public Task<JsonNode?> EventBridgeAsync(string operation, JsonNode body, CancellationToken cancellationToken) =>
        JsonAsync("events", "AWSEvents." + operation, "application/x-amz-json-1.1", body, "EventBridge", cancellationToken);

    /// <summary>One SNS Query-protocol action; the answer's XML.</summary>
    public async Task<XDocument> SnsAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var http = Signed("sns");
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", "2010-03-31"), .. parameters]);
        using var response = await http.PostAsync("/", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"SNS {action} answered {(int)response.StatusCode}: {body}");
        return XDocument.Parse(body);
    }
}
