using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Pipeline.Domain.Recommendations;
using Pipeline.Api.Apis;
using Pipeline.Api.Security;

namespace Pipeline.Api.Tests.Apis;

public sealed class ConsoleApiTests
{
    [Fact]
    public async Task Console_WithApiKeys_NeedsTheAdminKey()
    {
        var (client, admin) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Admin));
        await using var server = await ApiServer.StartAsync(new ModelRegistry(), settings: new Dictionary<string, string?>
        {
            ["ApiKeys:ClientKeySha256:0"] = ApiKeys.Hash(client),
            ["ApiKeys:AdminKeySha256:0"] = ApiKeys.Hash(admin),
        });

        foreach (var path in new[] { "/console/experiments", "/console/assets/api.js", "/workflows", "/metrics/live" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, path, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, path, client)).StatusCode);
        }
        using var page = await GetAsync(server, "/console/experiments", admin);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Experiments</h1>", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Console_ServesItsPagesAndTheVendoredChartLibraryWithItsLicence_FromTheAssembly()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var root = await noRedirects.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("console/experiments", root.Headers.Location?.OriginalString);
        var page = await server.Client.GetStringAsync("/console/experiments/default");
        Assert.Contains("""<script src="../../console/assets/uPlot.iife.min.js" defer></script>""", page);
        Assert.Contains("""data-key="default" """.TrimEnd(), page);

        using var chart = await GetAsync(server, "/console/assets/uPlot.iife.min.js", null);
        Assert.Equal("text/javascript", chart.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */", await chart.Content.ReadAsStringAsync());
        Assert.Contains("The MIT License (MIT)", await server.Client.GetStringAsync("/console/assets/THIRD-PARTY.txt"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, "/console/assets/missing.js", null)).StatusCode);
    }

    [Theory]
    [InlineData("/console/experiments", "../")]
    [InlineData("/console/experiments/default", "../../")]
    [InlineData("/console/experiments/default/edit", "../../../")]
    public void RootOf_LeadsFromThePageBackToTheApisRoot(string path, string root) =>
        Assert.Equal(root, ConsoleApi.RootOf(path));

    private static Task<HttpResponseMessage> GetAsync(ApiServer server, string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        return server.Client.SendAsync(request);
    }

    [Fact]
    public async Task WarmUp_CoversEveryConsolePageRoute_AndEachPageSaysItsRenderTime()
    {
        await using var server = await ApiServer.StartAsync(new ModelRegistry());
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress, "/") };

        var report = await ConsoleApi.WarmUpAsync(server.Services);

        Assert.Equal(ConsoleApi.WarmUpPaths, report.Paths.Select(p => p.Path));
        Assert.Empty(report.NotRendered);

        // Every GET route of the console (its templates with a value for each parameter) is among the warmed paths.
        var templates = server.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            // Not the redirect (console/) nor the asset route, whose files are listed from the assembly.
            .Where(t => t.StartsWith("console/", StringComparison.Ordinal) && t.Length > "console/".Length && !t.Contains("{file}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(templates);
        Assert.All(templates, t => Assert.Contains(ConsoleApi.WarmUpPaths, p =>
            System.Text.RegularExpressions.Regex.IsMatch(p, "^" + System.Text.RegularExpressions.Regex.Replace(t, @"\{[^}]+\}", "[^/]+") + "$")));
        Assert.Contains("console/assets/api.js", ConsoleApi.WarmUpPaths);
        foreach (var path in ConsoleApi.WarmUpPaths.Where(p => !p.StartsWith("console/assets/", StringComparison.Ordinal)))
        {
            using var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Matches(@"^render;dur=\d+\.\d$", Assert.Single(page.Headers.GetValues("Server-Timing")));
        }
    }

    /// <summary>
    /// Issue #16: with API keys configured the warm-up, which holds no key, still renders every page and asset (its
    /// requests are built in-process), while the same paths over HTTP stay 401 without a key and 403 with a client key,
    /// before and after it. A warm-up request's mark is honoured only on a GET under /console.
    /// </summary>
    [Fact]
    public async Task WarmUp_WithApiKeysConfigured_RendersEveryPath_WhileCallersWithoutTheAdminKeyAreStillRefused()
    {
        var (client, admin) = (ApiKeys.Create(ApiKeyScope.Client), ApiKeys.Create(ApiKeyScope.Admin));
        await using var server = await ApiServer.StartAsync(new ModelRegistry(), settings: new Dictionary<string, string?>
        {
            ["ApiKeys:ClientKeySha256:0"] = ApiKeys.Hash(client),
            ["ApiKeys:AdminKeySha256:0"] = ApiKeys.Hash(admin),
        });
        await AssertRefusedAsync();

        var report = await ConsoleApi.WarmUpAsync(server.Services);

        Assert.Equal(ConsoleApi.WarmUpPaths, report.Paths.Select(p => p.Path));
        Assert.All(report.Paths, p => Assert.True(p.Rendered, $"{p.Path}: {p.Status}, {p.Bytes} bytes"));
        Assert.Matches(@"^Console warm-up: 8 pages and \d+ assets rendered twice in \d+\.\d s$", report.Describe());
        await AssertRefusedAsync();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "/console/experiments", admin)).StatusCode);

        async Task AssertRefusedAsync()
        {
            foreach (var path in ConsoleApi.WarmUpPaths)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, "/" + path, null)).StatusCode);
                Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, "/" + path, client)).StatusCode);
            }
        }
    }

    [Theory]
    [InlineData("GET", "/console/experiments", true)]
    [InlineData("GET", "/console/assets/api.js", true)]
    [InlineData("POST", "/console/experiments", false)]
    [InlineData("GET", "/experiments", false)]
    [InlineData("GET", "/consoles", false)]
    public void WarmUpMark_IsHonouredOnlyOnAGetUnderConsole_AndOnlyWhenTheWarmUpSetIt(string method, string path, bool honoured)
    {
        var marked = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        marked.Request.Method = method;
        marked.Request.Path = path;
        marked.Features.Set(ConsoleWarmUp.InProcessRequest.Instance);
        Assert.Equal(honoured, ConsoleWarmUp.IsWarmUpRequest(marked));

        var unmarked = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        unmarked.Request.Method = method;
        unmarked.Request.Path = path;
        Assert.False(ConsoleWarmUp.IsWarmUpRequest(unmarked));
    }
}
