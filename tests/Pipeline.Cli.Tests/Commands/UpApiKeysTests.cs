using System.Net;
using System.Text.RegularExpressions;
using Pipeline.Api.Security;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline up` as its own process with the README's exact key configuration (one hash per variable).</summary>
public sealed partial class UpApiKeysTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-up-keys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Up_WithKeyHashesInTheEnvironment_RequiresAdminKeyForAdminRoutes_AndClientKeyForServing()
    {
        var (client, admin) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Admin));
        await using var up = CliProcess.Start(
            new Dictionary<string, string> { ["ApiKeys__ClientKeySha256"] = ApiKeys.Hash(client), ["ApiKeys__AdminKeySha256"] = ApiKeys.Hash(admin) },
            "up", "--data-dir", _root, "--port", "0", "--personalize-port", "-1",
            "--sample-users", "100", "--sample-items", "80", "--sample-interactions", "2000");
        var baseUrl = new Uri((await up.WaitForAsync(RunningAt(), TimeSpan.FromMinutes(3))).Groups[1].Value);
        using var http = new HttpClient { BaseAddress = baseUrl };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/experiments/default/stop", null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(http, "/experiments/default/stop", client));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, "/recommendations", null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/recommendations", client));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/experiments/default/stop", admin));
        Assert.Contains("API keys required: 1 client key(s), 1 admin key(s)", up.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue #16: the warm-up renders every console page although the CLI holds only the admin key's hash, and the
    /// console still answers 401 to a caller without the key. The warm-up's own line (printed before `Console:`) is the
    /// evidence: it names each path that did not answer 200, with what it answered.
    /// </summary>
    [Fact]
    public async Task Up_WithAnAdminKeyHash_WarmsEveryConsolePage_AndTheConsoleStillRefusesACallerWithoutTheKey()
    {
        var admin = ApiKeys.Create(ApiKeyScope.Admin);
        await using var up = CliProcess.Start(
            new Dictionary<string, string> { ["ApiKeys__AdminKeySha256"] = ApiKeys.Hash(admin) },
            "up", "--data-dir", _root, "--port", "0", "--personalize-port", "-1",
            "--sample-users", "100", "--sample-items", "80", "--sample-interactions", "2000");
        var baseUrl = new Uri((await up.WaitForAsync(ConsoleLine(), TimeSpan.FromMinutes(3))).Groups[1].Value + "/");
        using var http = new HttpClient { BaseAddress = baseUrl };

        var pages = Pipeline.Api.Apis.ConsoleApi.WarmUpPaths.Count(p => !p.StartsWith("console/assets/", StringComparison.Ordinal));
        var assets = Pipeline.Api.Apis.ConsoleApi.WarmUpPaths.Count - pages;
        var warmUp = Assert.Single(up.Output.Split('\n'), l => l.StartsWith("Console warm-up:", StringComparison.Ordinal));
        Assert.True(Regex.IsMatch(warmUp, $@"^Console warm-up: {pages} pages and {assets} assets rendered twice in \d+\.\d s$"), warmUp);
        // Still protected, during and after the warm-up: no key or a wrong one is 401, the admin key is let in.
        foreach (var path in Pipeline.Api.Apis.ConsoleApi.WarmUpPaths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(http, path, null));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(http, path, ApiKeys.Create(ApiKeyScope.Admin)));
            Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(http, path, admin));
        }
    }

    [Fact]
    public async Task Up_WithAMalformedKeyHash_RefusesToStartWithOneLine()
    {
        await using var up = CliProcess.Start(new Dictionary<string, string> { ["ApiKeys__AdminKeySha256"] = "not-a-hash" },
            "up", "--data-dir", _root, "--port", "0", "--personalize-port", "-1",
            "--sample-users", "100", "--sample-items", "80", "--sample-interactions", "2000");

        Assert.True(await up.WaitForExitAsync(TimeSpan.FromMinutes(3)), up.Output);
        Assert.Equal(2, up.ExitCode);
        Assert.Single(up.Output.Split('\n'), l => l.StartsWith("error: ApiKeys:AdminKeySha256 must hold SHA-256 hashes", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", up.Output, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (path == "/recommendations") request.Content = new StringContent("""{"user_id":"user_00001","num_results":3}""", System.Text.Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GetStatusAsync(HttpClient http, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [GeneratedRegex(@"^Console: (http://127\.0\.0\.1:\d+)/console$")]
    private static partial Regex ConsoleLine();

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}
