using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Cli.Tests.Commands;

public sealed partial class PersonalizeCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-cli-personalize-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Serve_ListensUntilStopped_AndAnswersThePersonalizeProtocol()
    {
        var output = new StringBuilder();
        var writer = TextWriter.Synchronized(new StringWriter(output));
        using var stop = new CancellationTokenSource();
        var dataDir = Path.Combine(_root, "data");
        var run = Task.Run(() => PipelineCommandLine.InvokeAsync(["personalize", "serve", "--port", "0", "--data-dir", dataDir], writer, writer, stop.Token));
        Uri? endpoint = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); endpoint is null && DateTime.UtcNow < deadline && !run.IsCompleted; await Task.Delay(50))
        {
            string text;
            lock (writer) text = output.ToString(); // the synchronized writer locks on itself
            if (EndpointPattern().Match(text) is { Success: true } match) endpoint = new Uri(match.Groups[1].Value);
        }
        Assert.True(endpoint is not null, $"serve did not start: {output}");

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "AmazonPersonalize.ListDatasetGroups");
        var response = await http.SendAsync(request);
        await stop.CancelAsync();

        Assert.Equal("""{"datasetGroups":[]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await run);
        Assert.True(Directory.Exists(dataDir));
    }

    [Theory]
    [InlineData("--port", "70000", "--port must be between 0 and 65535, got 70000.")]
    [InlineData("--step-seconds", "-1", "--step-seconds must be between 0 and 3600, got -1.")]
    public async Task Serve_WithAnInvalidArgument_FailsWithOneLine(string option, string value, string message)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await PipelineCommandLine.InvokeAsync(["personalize", "serve", "--data-dir", Path.Combine(_root, "never"), option, value], stdout, stderr);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: {message}" + Environment.NewLine, stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "never")));
    }

    [Fact]
    public async Task Serve_OnAPortInUse_FailsWithOneLineAndExitCode2()
    {
        using var occupied = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await PipelineCommandLine.InvokeAsync(["personalize", "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", Path.Combine(_root, "busy")], stdout, stderr);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: cannot listen on 127.0.0.1:{port}", stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/?)")]
    private static partial Regex EndpointPattern();
}
