using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Pipeline.Adapters.Aws.Http;
using Pipeline.Adapters.Aws.Personalize;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Tests.Personalize;

/// <summary>
/// The Personalize runtime and events clients against a loopback server that checks what AWS would: the path,
/// the JSON body and a SigV4 signature that verifies over the request as it arrived.
/// </summary>
public sealed partial class PersonalizeClientsTests : IDisposable
{
    private const string Region = "us-west-2";
    private static readonly SigV4Credentials Key = new("AKIDTEST", "secret/key+example", "session-token");
    private readonly RecordingAwsServer _server = new();

    public void Dispose() => _server.Dispose();

    private HttpClient SignedClient(string signingName) =>
        AwsServiceEndpoint.Resolve("unused", signingName, _server.Endpoint.ToString(), Region,
            new SessionAWSCredentials(Key.AccessKeyId, Key.SecretAccessKey, Key.SessionToken)).CreateHttpClient();

    [Fact]
    public async Task GetRecommendations_PostsTheRequestToRecommendationsAndReadsTheItemList()
    {
        _server.ResponseBody = """{"itemList":[{"itemId":"i7","score":0.42},{"itemId":"i3"}],"recommendationId":"RID-1"}""";
        var client = new PersonalizeRuntimeClient(SignedClient(PersonalizeRuntimeClient.SigningName));

        var response = await client.GetRecommendationsAsync(new GetRecommendationsRequest
        {
            CampaignArn = "arn:aws:personalize:us-west-2:123456789012:campaign/pipeline-sims",
            UserId = "u1",
            NumResults = 25,
            Context = new Dictionary<string, string> { ["DEVICE"] = "mobile" },
        });

        Assert.Equal([new PredictedItem("i7", 0.42), new PredictedItem("i3")], response.ItemList);
        Assert.Equal("RID-1", response.RecommendationId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/recommendations", request.Url.AbsolutePath);
        Assert.Equal(
            """{"campaignArn":"arn:aws:personalize:us-west-2:123456789012:campaign/pipeline-sims","userId":"u1","numResults":25,"context":{"DEVICE":"mobile"}}""",
            request.BodyText);
        AssertSignedFor("personalize", request);
    }

    [Fact]
    public async Task GetPersonalizedRanking_PostsTheInputListToPersonalizeRanking()
    {
        _server.ResponseBody = """{"personalizedRanking":[{"itemId":"b","score":0.9},{"itemId":"a","score":0.1}],"recommendationId":"RID-2"}""";
        var client = new PersonalizeRuntimeClient(SignedClient(PersonalizeRuntimeClient.SigningName));

        var response = await client.GetPersonalizedRankingAsync(new GetPersonalizedRankingRequest
        {
            CampaignArn = "arn:aws:personalize:us-west-2:123456789012:campaign/pipeline-ranking",
            InputList = ["a", "b"],
            UserId = "u1",
        });

        Assert.Equal(["b", "a"], response.PersonalizedRanking!.Select(i => i.ItemId));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/personalize-ranking", request.Url.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(["a", "b"], body.RootElement.GetProperty("inputList").EnumerateArray().Select(e => e.GetString()));
        AssertSignedFor("personalize", request);
    }

    [Fact]
    public async Task PutEvents_PostsTheTrackerEventsWithEpochSecondsSentAt()
    {
        var client = new PersonalizeEventsClient(SignedClient(PersonalizeEventsClient.SigningName));

        await client.PutEventsAsync(new PutEventsRequest
        {
            TrackingId = "tracker-1",
            UserId = "u1",
            SessionId = "s1",
            EventList = [new PersonalizeEvent { EventId = "e1", EventType = "click", ItemId = "i1", SentAt = 1_700_000_000.5, RecommendationId = "RID-1" }],
        });

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/events", request.Url.AbsolutePath);
        Assert.Equal(
            """{"trackingId":"tracker-1","userId":"u1","sessionId":"s1","eventList":[{"eventId":"e1","eventType":"click","itemId":"i1","sentAt":1700000000.5,"recommendationId":"RID-1"}]}""",
            request.BodyText);
        AssertSignedFor("personalize", request);
    }

    [Fact]
    public async Task PutEvents_WithMoreThanTenEvents_IsRefusedBeforeSending()
    {
        var client = new PersonalizeEventsClient(SignedClient(PersonalizeEventsClient.SigningName));
        var events = Enumerable.Range(0, 11).Select(i => new PersonalizeEvent { EventType = "click", ItemId = $"i{i}", SentAt = 1 }).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.PutEventsAsync(new PutEventsRequest { TrackingId = "t", SessionId = "s", EventList = events }));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ErrorAnswer_BecomesAnExceptionWithTheServiceErrorCode()
    {
        _server.Status = 404;
        _server.ResponseHeaders["x-amzn-ErrorType"] = "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.personalize/";
        _server.ResponseBody = """{"message":"Campaign not found"}""";
        var client = new PersonalizeRuntimeClient(SignedClient(PersonalizeRuntimeClient.SigningName));

        var error = await Assert.ThrowsAsync<AwsApiException>(() =>
            client.GetRecommendationsAsync(new GetRecommendationsRequest { CampaignArn = "arn:x", UserId = "u1" }));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.Equal("Campaign not found", error.Message.Split(": ")[1]);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    /// <summary>
    /// The headers have AWS's shape, and the signature verifies: recomputed here from the request as received
    /// (host with port, content type, body), it is the one that was sent.
    /// </summary>
    private static void AssertSignedFor(string service, RecordedRequest request)
    {
        var amzDate = request.Headers["x-amz-date"];
        Assert.Matches(AmzDate(), amzDate);
        Assert.Equal(Key.SessionToken, request.Headers["x-amz-security-token"]);
        var authorization = request.Headers["authorization"];
        var match = AuthorizationHeader().Match(authorization);
        Assert.True(match.Success, authorization);
        Assert.Equal(amzDate[..8], match.Groups["date"].Value);
        Assert.Equal(Region, match.Groups["region"].Value);
        Assert.Equal(service, match.Groups["service"].Value);
        Assert.Equal("content-type;host;x-amz-date;x-amz-security-token", match.Groups["signed"].Value);

        var signedHeaders = match.Groups["signed"].Value.Split(';')
            .Where(h => h is "content-type" or "host")
            .Select(h => new KeyValuePair<string, string>(h, request.Headers[h]));
        var at = DateTimeOffset.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expected = SigV4Signer.Sign(request.Method, request.Url, signedHeaders, request.Body, Key, Region, service, at);
        Assert.Equal(expected.Signature, match.Groups["signature"].Value);
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z$")]
    private static partial Regex AmzDate();

    [GeneratedRegex("^AWS4-HMAC-SHA256 Credential=AKIDTEST/(?<date>[0-9]{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z-]+)/aws4_request, " +
        "SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();
}
