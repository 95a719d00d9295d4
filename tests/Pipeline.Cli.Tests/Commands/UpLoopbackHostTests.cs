using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>
/// `pipeline up` (keyless, bound to 127.0.0.1) as its own process: a request naming another host, as a web page does
/// after rebinding its name onto 127.0.0.1, is a 421 problem and changes nothing (issue #18 item 10).
/// </summary>
public sealed partial class UpLoopbackHostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-up-host-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Up_WithAHostHeaderThatIsNotLoopback_Answers421_AndTheExperimentKeepsRunning()
    {
        await using var up = CliProcess.Start(new Dictionary<string, string>(),
            "up", "--data-dir", _root, "--port", "0", "--personalize-port", "-1",
            "--sample-users", "100", "--sample-items", "80", "--sample-interactions", "2000");
        var baseUrl = new Uri((await up.WaitForAsync(RunningAt(), TimeSpan.FromMinutes(3))).Groups[1].Value);
        using var http = new HttpClient { BaseAddress = baseUrl };

        using var rebound = new HttpRequestMessage(HttpMethod.Post, "/experiments/default/stop");
        rebound.Headers.Host = $"evil.example:{baseUrl.Port}";
        using var refused = await http.SendAsync(rebound);
        using var local = new HttpRequestMessage(HttpMethod.Get, "/experiments/default");
        local.Headers.Host = $"localhost:{baseUrl.Port}";
        using var experiment = await http.SendAsync(local);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, experiment.StatusCode);
        Assert.Equal("running", JsonDocument.Parse(await experiment.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();
}
