using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Api.Tests.Faults;

/// <summary>
/// The API's own binary (Pipeline.Api.dll, its Program.cs: SQLite stores, JSON console logs) started as a separate
/// process on a free loopback port, so it can be killed like a real server. Its stdout lines are kept.
/// </summary>
public sealed partial class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ApiProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyCollection<string> Lines => _lines;

    public static async Task<ApiProcess> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? environment = null)
    {
        var api = Launch(databasePath, environment);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        api._process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null && ListeningOn().Match(line.Data) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        api.BeginReading();
        var started = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task)
        {
            api._process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The API process did not start listening: " + string.Join('\n', api._lines));
        }
        api.BaseAddress = await listening.Task;
        return api;
    }

    /// <summary>Starts the binary expecting it to refuse to start: its exit code and its stderr lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stderr)> RunUntilExitAsync(string databasePath, IReadOnlyDictionary<string, string> environment)
    {
        await using var api = Launch(databasePath, environment);
        var stderr = new ConcurrentQueue<string>();
        api._process.ErrorDataReceived += (_, line) => { if (line.Data is not null) stderr.Enqueue(line.Data); };
        api.BeginReading();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await api._process.WaitForExitAsync(timeout.Token);
        return (api._process.ExitCode, [.. stderr]);
    }

    private static ApiProcess Launch(string databasePath, IReadOnlyDictionary<string, string>? environment)
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "Pipeline.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
        };
        foreach (var argument in new[] { binary, "--urls", "http://127.0.0.1:0", $"--Pipeline:Database={databasePath}" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new ApiProcess(Process.Start(start)!);
    }

    private void BeginReading()
    {
        _process.OutputDataReceived += (_, line) => { if (line.Data is not null) _lines.Enqueue(line.Data); };
        _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _lines.Enqueue(line.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown hooks run, nothing is flushed (kill -9).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    // The host's startup line, written by the JSON console: ..."Message":"Now listening on: http://127.0.0.1:PORT"...
    [GeneratedRegex(@"Now listening on: (http://[0-9.:]+)")]
    private static partial Regex ListeningOn();
}
