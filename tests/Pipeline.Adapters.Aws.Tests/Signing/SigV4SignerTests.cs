using System.Text;
using Pipeline.Adapters.Aws.Signing;

namespace Pipeline.Adapters.Aws.Tests.Signing;

/// <summary>
/// AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite): every case signs with the same key,
/// region, service and time; the expected values are the suite's, not computed here.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly SigV4Credentials Key = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset At = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Host = "example.amazonaws.com";
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    private static SigV4Signature Sign(
        string method, string pathAndQuery, (string Name, string Value)[]? headers = null, string body = "", SigV4Credentials? key = null) =>
        SigV4Signer.Sign(method, new Uri($"https://{Host}{pathAndQuery}"),
            [new("Host", Host), .. (headers ?? []).Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
            Encoding.UTF8.GetBytes(body), key ?? Key, "us-east-1", "service", At);

    [Fact]
    public void GetVanilla_MatchesPublishedCanonicalRequestStringToSignAndSignature()
    {
        var signed = Sign("GET", "/");

        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + SigV4Signer.EmptyPayloadHash,
            signed.CanonicalRequest);
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", signed.StringToSign);
        Assert.Equal($"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signed.Authorization);
    }

    [Fact]
    public void PostXWwwFormUrlEncoded_SignsTheBodyHashAndContentType()
    {
        var signed = Sign("POST", "/", [("Content-Type", "application/x-www-form-urlencoded")], "Param1=value1");

        Assert.Equal("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n" +
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" +
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", signed.CanonicalRequest);
        Assert.Equal("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", signed.Signature);
    }

    [Fact]
    public void GetVanillaWithSessionToken_SignsAndSendsTheToken()
    {
        const string token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

        var signed = Sign("GET", "/", key: Key with { SessionToken = token });

        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
            "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b", signed.StringToSign);
        Assert.Equal("07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8", signed.Signature);
        Assert.Contains(new KeyValuePair<string, string>("x-amz-security-token", token), signed.HeadersToAdd);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", signed.Authorization);
    }

    public static TheoryData<string, string, string, string> SignatureOnlyCases() => new()
    {
        // name, method, path and query, expected signature
        { "post-vanilla", "POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-unreserved", "GET",
            "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-vanilla-utf8-query", "GET", "/?ሴ=bar", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        { "get-vanilla-empty-query-key", "GET", "/?Param1=value1", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
        { "get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-utf8", "GET", "/ሴ", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
        { "post-vanilla-query", "POST", "/?Param1=value1", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
    };

    [Theory]
    [MemberData(nameof(SignatureOnlyCases))]
    public void PathAndQueryCases_MatchPublishedSignature(string name, string method, string pathAndQuery, string expected)
    {
        Assert.True(expected == Sign(method, pathAndQuery).Signature, name);
    }

    public static TheoryData<string, string, string, string, string> HeaderCases() => new()
    {
        // name, method, header lines ("Name:value" joined by '\n'), expected signed headers, expected signature
        { "get-header-key-duplicate", "GET", "My-Header1:value2\nMy-Header1:value2\nMy-Header1:value1", "host;my-header1;x-amz-date",
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
        { "get-header-value-order", "GET", "My-Header1:value4\nMy-Header1:value1\nMy-Header1:value3\nMy-Header1:value2", "host;my-header1;x-amz-date",
            "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
        { "get-header-value-trim", "GET", "My-Header1: value1\nMy-Header2: \"a   b   c\"", "host;my-header1;my-header2;x-amz-date",
            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "post-header-key-sort", "POST", "My-Header1:value1", "host;my-header1;x-amz-date",
            "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "post-header-value-case", "POST", "My-Header1:VALUE1", "host;my-header1;x-amz-date",
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
    };

    [Theory]
    [MemberData(nameof(HeaderCases))]
    public void HeaderCanonicalizationCases_MatchPublishedSignature(string name, string method, string lines, string signedHeaders, string expected)
    {
        var headers = lines.Split('\n').Select(l => (l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..])).ToArray();

        var signed = Sign(method, "/", headers);

        Assert.True(signed.Authorization.Contains($"SignedHeaders={signedHeaders},", StringComparison.Ordinal), name);
        Assert.True(expected == signed.Signature, name);
    }

    [Fact]
    public async Task SignAsync_AddsDateAndAuthorizationHeadersToAnHttpRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{Host}/")
        {
            Content = new StringContent("Param1=value1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        await SigV4Signer.SignAsync(request, Key, "us-east-1", "service", At);

        Assert.Equal("20150830T123600Z", request.Headers.GetValues("x-amz-date").Single());
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=", authorization);
    }
}
