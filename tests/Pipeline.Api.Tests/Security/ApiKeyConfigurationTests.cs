using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Pipeline.Api.Security;
using Pipeline.Api.Tests.Faults;

namespace Pipeline.Api.Tests.Security;

/// <summary>
/// The keys as the README configures them (environment variables, one hash each), through the API's own binary
/// (Program.cs) as a separate process: the routes need keys, the protection is logged, a malformed hash stops the start.
/// </summary>
public sealed class ApiKeyConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-keys-").FullName;
    private readonly string _client = ApiKeys.Create(ApiKeyScope.Client);
    private readonly string _admin = ApiKeys.Create(ApiKeyScope.Admin);

    public void Dispose()
    {
        Adapters.Local.Sqlite.SqliteDatabase.ReleaseAll();
        Directory.Delete(_folder, recursive: true);
    }

    private string Database => Path.Combine(_folder, "pipeline.db");

    [Fact]
    public async Task Program_WithOneHashPerVariableAsTheReadmeSays_RequiresTheKeys_AndLogsThatTheyAreRequired()
    {
        await using var api = await ApiProcess.StartAsync(Database, new Dictionary<string, string>
        {
            ["ApiKeys__ClientKeySha256"] = ApiKeys.Hash(_client),
            ["ApiKeys__AdminKeySha256"] = ApiKeys.Hash(_admin),
        });
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Get, "/experiments", key: null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, HttpMethod.Get, "/experiments", _client));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/experiments", _admin));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Post, "/experiments/default/stop", key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Post, "/recommendations", key: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Post, "/recommendations", "pk_not-a-known-key"));
        Assert.NotEqual(HttpStatusCode.Unauthorized, await StatusAsync(http, HttpMethod.Post, "/recommendations", _client));
        Assert.Contains(api.Lines, l => l.Contains("API keys required: 1 client key(s), 1 admin key(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Program_WithoutKeys_StartsOpen_AndWarnsThatEveryRouteIsOpen()
    {
        await using var api = await ApiProcess.StartAsync(Database);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, HttpMethod.Get, "/experiments", key: null));
        Assert.Contains(api.Lines, l => l.Contains("every route, admin included, is open", StringComparison.Ordinal) && l.Contains("Warning", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ApiKeys__AdminKeySha256", "pa_the-key-itself-not-its-hash")]
    [InlineData("ApiKeys__ClientKeySha256", "abc123")]
    [InlineData("ApiKeys__ClientKeySha256__0", "zz5d8f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9")]
    [InlineData("ApiKeys__RequestsPerSecondPerKey", "-5")]
    public async Task Program_WithAMalformedSetting_RefusesToStartWithOneLine_AndDoesNotEchoTheValue(string name, string value)
    {
        var (exitCode, stderr) = await ApiProcess.RunUntilExitAsync(Database, new Dictionary<string, string> { [name] = value });

        Assert.Equal(2, exitCode);
        var line = Assert.Single(stderr);
        Assert.StartsWith("error: ApiKeys:", line, StringComparison.Ordinal);
        if (name != "ApiKeys__RequestsPerSecondPerKey") Assert.DoesNotContain(value, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Database));
    }

    [Fact]
    public void FromConfiguration_AcceptsOneValue_CommaSeparatedValues_AndIndexedEntries()
    {
        var (a, b, c) = (ApiKeys.Hash("a"), ApiKeys.Hash("b"), ApiKeys.Hash("c").ToUpperInvariant());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKeys:ClientKeySha256"] = $"{a}, {b}",
            ["ApiKeys:AdminKeySha256:0"] = c,
            ["ApiKeys:AdminKeySha256:1"] = a,
        }).Build();

        var options = ApiKeyOptions.FromConfiguration(configuration);

        Assert.Equal([a, b], options.ClientKeySha256);
        Assert.Equal([c.ToLowerInvariant(), a], options.AdminKeySha256);
        Assert.True(options.Enabled);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post) request.Content = new StringContent("""{"user_id":"u1"}""", Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
