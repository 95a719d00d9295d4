using System.Diagnostics;
using System.Globalization;
using Pipeline.DeploymentContract;

namespace Pipeline.Cli.Rehearsal;

/// <summary>
/// The published app (Pipeline.Api.dll, its Program.cs, copied next to the CLI) started as its own process with a
/// function's environment, as Lambda starts it behind the Web Adapter: Kestrel on <c>ASPNETCORE_HTTP_PORTS</c> (a free
/// loopback port here), ready once the Web Adapter's readiness path (<c>AWS_LWA_READINESS_CHECK_PATH</c>, else <c>/health</c>)
/// answers. The environment is the function's own plus, for moto_server, <see cref="MotoAws.Environment"/>.
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private FunctionProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Tail => _process.Tail;

    public static async Task<FunctionProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Pipeline.Api.dll") } };
        // Nothing of the caller's AWS setup (a profile, a session) leaks into the function.
        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE" }) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment[EnvironmentVariables.AspNetCoreHttpPorts] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var function = new FunctionProcess(ChildProcess.Start(start), new Uri($"http://127.0.0.1:{port}"));
        try
        {
            var readiness = new Uri(function.BaseAddress, environment.GetValueOrDefault(EnvironmentVariables.ReadinessCheckPath, WebAdapter.ReadinessCheckPath));
            await function._process.WaitUntilAnswersAsync(readiness, TimeSpan.FromSeconds(60), cancellationToken);
            return function;
        }
        catch
        {
            await function.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
