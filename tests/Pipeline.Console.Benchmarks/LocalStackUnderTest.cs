using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Console.Benchmarks;

/// <summary>
/// `pipeline up` on the sample data in a temporary folder, as an operator starts it; ready once the console is served
/// and the first import's training run has ended (before that it holds both cores, which is not the steady state).
/// </summary>
public sealed partial class LocalStackUnderTest : IAsyncDisposable
{
    private readonly CliProcess _cli;
    private readonly string _dataDir;

    private LocalStackUnderTest(CliProcess cli, string dataDir, Uri baseUrl)
    {
        _cli = cli;
        _dataDir = dataDir;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<LocalStackUnderTest> StartAsync(TextWriter output)
    {
        var dataDir = Directory.CreateTempSubdirectory("pipeline-first-paint-").FullName;
        var cli = CliProcess.Start(null, "up", "--data-dir", dataDir, "--port", "0", "--personalize-port", "-1");
        var console = await cli.WaitForAsync(ConsoleLine(), TimeSpan.FromMinutes(5));
        var stack = new LocalStackUnderTest(cli, dataDir, new Uri(console.Groups[1].Value + "/"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stack.WaitForTrainingToEndAsync(TimeSpan.FromMinutes(15));
        output.WriteLine($"pipeline up: console at {stack.BaseUrl}console; its first training run ended {clock.Elapsed.TotalSeconds:F0} s after that");
        return stack;
    }

    private async Task WaitForTrainingToEndAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("workflows");
            var executions = list.GetProperty("executions").EnumerateArray().ToList();
            if (executions.Count > 0 && executions.All(e => e.GetProperty("status").GetString() != "RUNNING")) return;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        throw new TimeoutException($"the first training run did not end within {timeout}:\n{_cli.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [GeneratedRegex(@"^Console: (http://127\.0\.0\.1:\d+)/console$")]
    private static partial Regex ConsoleLine();
}
