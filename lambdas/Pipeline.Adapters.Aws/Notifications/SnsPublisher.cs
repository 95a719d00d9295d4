using System.Xml.Linq;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Notifications;

/// <summary>
/// SNS Publish over the Query protocol (AWSSDK.SimpleNotificationService is not available here): a signed,
/// form-encoded POST with Action=Publish, answered in XML.
/// </summary>
public sealed class SnsPublisher(HttpClient http)
{
    public const string EndpointPrefix = "sns";
    public const string SigningName = "sns";
    private const string ApiVersion = "2010-03-31";
    private static readonly XNamespace Sns = "http://sns.amazonaws.com/doc/2010-03-31/";

    public static SnsPublisher Create(string? endpointUrl = null, string? region = null) =>
        new(AwsServiceEndpoint.Resolve(EndpointPrefix, SigningName, endpointUrl, region).CreateHttpClient());

    /// <summary>Publishes to a topic; returns SNS's message id. The subject shows as the e-mail subject (at most 100 characters).</summary>
    public async Task<string> PublishAsync(string topicArn, string message, string? subject = null, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("TopicArn", topicArn), new("Message", message) };
        if (subject is not null)
        {
            parameters.Add(new("Subject", subject));
        }
        var result = await CallAsync("Publish", parameters, cancellationToken);
        return result.Descendants(Sns + "MessageId").Single().Value;
    }

    /// <summary>One Query-protocol action; the answer's XML, or an <see cref="AwsApiException"/> with SNS's error code.</summary>
    internal async Task<XDocument> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", ApiVersion), .. parameters]);
        using var response = await http.PostAsync("/", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var document = body.Length > 0 ? XDocument.Parse(body) : new XDocument();
        if (!response.IsSuccessStatusCode)
        {
            var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            string? Field(string name) => error?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            throw new AwsApiException(Field("Code") ?? $"Http{(int)response.StatusCode}", Field("Message") ?? body, response.StatusCode);
        }
        return document;
    }

}
