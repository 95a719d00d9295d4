using System.Net;
using Pipeline.Api.Security;
using Pipeline.Api.Tests.Hosting;

namespace Pipeline.Api.Tests.Security;

/// <summary>
/// The per-key token bucket the README promises (issue #18 item 13): through Program.cs, a burst past
/// <c>ApiKeys:RequestsPerSecondPerKey</c> is refused with 429, <c>Retry-After</c> and problem+json, and another key
/// keeps its own bucket.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ABurstPastTheKeysRate_Is429WithRetryAfter_AndAnotherKeyIsStillServed()
    {
        var (first, second) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Client));
        var folder = Directory.CreateTempSubdirectory("pipeline-rate-").FullName;
        try
        {
            await using var program = new ProgramHost(new Dictionary<string, string?>
            {
                ["Pipeline:Database"] = Path.Combine(folder, "pipeline.db"),
                ["ApiKeys:ClientKeySha256"] = $"{ApiKeys.Hash(first)},{ApiKeys.Hash(second)}",
                ["ApiKeys:RequestsPerSecondPerKey"] = "2",
            });
            using var http = program.CreateClient();

            var burst = new List<HttpResponseMessage>();
            for (var i = 0; i < 30; i++)
            {
                burst.Add(await GetAsync(http, "/items/none", first));
            }
            using var other = await GetAsync(http, "/items/none", second);

            var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, r =>
            {
                Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            });
            Assert.Equal(HttpStatusCode.NotFound, burst[0].StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            burst.ForEach(r => r.Dispose());
        }
        finally
        {
            Adapters.Local.Sqlite.SqliteDatabase.ReleaseAll();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(ApiKeys.Header, key);
        return await http.SendAsync(request);
    }
}
