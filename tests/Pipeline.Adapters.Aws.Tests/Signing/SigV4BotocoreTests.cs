using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Tests.Signing;

/// <summary>
/// Our signer against botocore's SigV4Auth (the AWS CLI's, installed here with it): the same requests, credentials and
/// time signed by both must carry the same Authorization header, byte for byte. The requests are built as the clients
/// send them (<see cref="SigV4Signer.SignAsync"/> on an HttpRequestMessage) and handed to botocore as sent.
/// </summary>
public sealed class SigV4BotocoreTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 11, 30, 7, TimeSpan.Zero);

    private const string Botocore = """
        import datetime, json, sys
        from unittest import mock
        import botocore.auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        out = []
        for c in json.load(sys.stdin):
            request = AWSRequest(method=c["method"], url=c["url"], data=c["body"].encode(), headers=c["headers"])
            at = datetime.datetime.fromisoformat(c["at"])
            with mock.patch.object(botocore.auth, "get_current_datetime", return_value=at):
                botocore.auth.SigV4Auth(Credentials(c["key"], c["secret"], c["token"]), c["service"], c["region"]).add_auth(request)
            out.append(request.headers["Authorization"])
        print(json.dumps(out))
        """;

    public static TheoryData<string, string, string?, string?> Requests() => new()
    {
        // method, URL, body (JSON, sent as application/x-amz-json-1.1 with an X-Amz-Target), session token
        { "GET", "https://personalize-runtime.us-east-1.amazonaws.com/recommendations?userId=user_00001&numResults=10&campaignArn=arn%3Aaws%3Apersonalize%3Aus-east-1%3A1%3Acampaign%2Fc", null, null },
        { "POST", "https://personalize-events.eu-west-1.amazonaws.com/events", """{"trackingId":"t","userId":"u 1","eventList":[{"eventType":"click","sentAt":1}]}""", null },
        { "POST", "https://sns.us-east-1.amazonaws.com/", "{\"Message\":\"caf\u00e9 \u2603\"}", "FQoGZXIvYXdzEJr//////////wEaDO+session/token=" },
        { "GET", "https://personalize-runtime.us-east-1.amazonaws.com/a-b_c.d~e/x%20y/%E2%82%AC/it's(1)!*/?z=%2A&a=b%2Bc&a=b%20c&empty=&caf%C3%A9=%E2%98%83", null, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task SignAsync_GivesTheAuthorizationHeaderBotocoreComputes(string method, string url, string? body, string? token)
    {
        var uri = new Uri(url);
        var region = uri.Host.Split('.')[1];
        var service = uri.Host.Split('.')[0] switch { "sns" => "sns", _ => "personalize" };
        var key = new SigV4Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        var headers = new JsonObject();
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonPersonalizeEvents.PutEvents");
            headers["Content-Type"] = request.Content.Headers.ContentType!.ToString();
            headers["X-Amz-Target"] = "AmazonPersonalizeEvents.PutEvents";
        }

        await SigV4Signer.SignAsync(request, key, region, service, At);

        var expected = await BotocoreAuthorizationAsync(new JsonObject
        {
            ["method"] = method, ["url"] = request.RequestUri!.AbsoluteUri, ["body"] = body ?? "", ["headers"] = headers,
            ["key"] = key.AccessKeyId, ["secret"] = key.SecretAccessKey, ["token"] = token,
            ["service"] = service, ["region"] = region, ["at"] = At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss"),
        });
        Assert.Equal(expected, request.Headers.GetValues("Authorization").Single());
    }

    private static async Task<string> BotocoreAuthorizationAsync(JsonObject signing)
    {
        var info = new ProcessStartInfo("python3", ["-c", Botocore])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var python = Process.Start(info)!;
        await python.StandardInput.WriteAsync(new JsonArray(signing).ToJsonString());
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"botocore (installed with the AWS CLI) failed: {error}");
        return JsonSerializer.Deserialize<string[]>(output)!.Single();
    }
}
