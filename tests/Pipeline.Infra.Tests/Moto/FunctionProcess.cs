using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pipeline.Adapters.Aws.Tests.Moto;

namespace Pipeline.Infra.Tests.Moto;

/// <summary>
/// The published app (Pipeline.Api.dll, its Program.cs) started as a separate process with a deployed function's
/// environment variables, as Lambda starts it behind the Web Adapter: Kestrel on <c>ASPNETCORE_HTTP_PORTS</c> (here a
/// free port), the SDK pointed at moto_server with <c>AWS_ENDPOINT_URL</c> and dummy credentials.
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private FunctionProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join('\n', _lines);

    public static async Task<FunctionProcess> StartAsync(IReadOnlyDictionary<string, string> functionEnvironment, Uri moto)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Api.dll"));
        foreach (var (name, value) in functionEnvironment)
        {
            start.Environment[name] = value;
        }
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AWS_ENDPOINT_URL"] = moto.ToString().TrimEnd('/');
        start.Environment["AWS_REGION"] = MotoServer.Region;
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("AWS_PROFILE");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var function = new FunctionProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) function._lines.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) function._lines.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // What the Web Adapter does before it takes invocations: poll the readiness path until it answers.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var readiness = new Uri(function.BaseAddress, functionEnvironment.GetValueOrDefault("AWS_LWA_READINESS_CHECK_PATH", "/"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                if (process.HasExited)
                {
                    process.WaitForExit(); // drains the redirected output, so the refusal's line is in the message
                }
                await function.DisposeAsync();
                throw new InvalidOperationException("The function process did not become ready: " + function.Output);
            }
            try
            {
                using var response = await http.GetAsync(readiness);
                if ((int)response.StatusCode < 500)
                {
                    return function;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
