using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Cli.Rehearsal;

/// <summary>A moto_server (pip package moto[server]) on a free loopback port: DynamoDB, S3, SQS, SNS and EventBridge in one process.</summary>
public sealed class MotoServerProcess : IAsyncDisposable
{
    /// <summary>moto's default account and the region everything here uses.</summary>
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    private readonly ChildProcess _process;

    private MotoServerProcess(ChildProcess process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public static async Task<MotoServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        ChildProcess process;
        try
        {
            process = ChildProcess.Start(new ProcessStartInfo("moto_server", ["-p", port.ToString(CultureInfo.InvariantCulture), "-H", "127.0.0.1"]));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("moto_server is not on PATH (pip install 'moto[server]')", e);
        }
        var server = new MotoServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await process.WaitUntilAnswersAsync(new Uri(server.Endpoint, "/moto-api/"), TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
