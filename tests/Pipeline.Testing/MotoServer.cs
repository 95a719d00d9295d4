using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.SQS;

namespace Pipeline.Testing;

/// <summary>
/// A real moto_server process on a free loopback port, shared by the tests of one collection: started before
/// the first test, waited for until it answers, killed (with its process tree) after the last one.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Region = "us-east-1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Process start to the first answered request.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>moto accepts any key; these only have to be well-formed.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("testing", "testing");

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var started = Stopwatch.StartNew();
        var info = new ProcessStartInfo("moto_server", ["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-H", "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("moto_server is not on PATH (pip package moto[server]); the AWS adapter tests need it.", e);
        }
        // Drain both pipes, or a chatty server blocks on a full pipe.
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}:\n{Output}");
            }
            if (started.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"moto_server did not answer within {StartTimeout}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "/moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        StartTime = started.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }

    public IAmazonDynamoDB DynamoDb() => new AmazonDynamoDBClient(Credentials, new AmazonDynamoDBConfig
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = Region,
        MaxErrorRetry = 2,
    });

    public IAmazonSQS Sqs() => new AmazonSQSClient(Credentials, new AmazonSQSConfig
    {
        ServiceURL = Endpoint.ToString(),
        AuthenticationRegion = Region,
        MaxErrorRetry = 2,
    });

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Keep the tail only: moto logs every request.
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
