using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Local.Sqlite;

namespace Pipeline.Api.Tests.Http;

/// <summary>
/// A client that sends part of its body and hangs up (issue #18 item 9) is the client's fault: Program.cs on real
/// Kestrel logs it at Debug (event 1200), not as an Error with a stack trace, and stores nothing.
/// </summary>
public sealed class ClientAbortLoggingTests
{
    [Fact]
    public async Task ABodyCutShort_IsLoggedAtDebug_NotAsAnError()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-abort-").FullName;
        var logs = new CapturedLogs();
        try
        {
            await using (var host = new LoggingHost(logs, Path.Combine(folder, "pipeline.db")))
            {
                host.UseKestrel(0);
                host.StartServer();
                var address = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

                foreach (var path in new[] { "/events", "/recommendations", "/items", "/experiments" })
                {
                    await SendHalfAndHangUpAsync(address, path);
                }
                await WaitForAsync(() => logs.Entries.Count(e => e.EventId == 1200) >= 4);
            }

            Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
            Assert.Equal(4, logs.Entries.Count(e => e.EventId == 1200 && e.Level == LogLevel.Debug));
        }
        finally
        {
            SqliteDatabase.ReleaseAll();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task SendHalfAndHangUpAsync(Uri address, string path)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var method = path is "/items" ? "PUT" : "POST";
        var head = $"{method} {path} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + """{"events":[{"user_id":"u1","""));
        await stream.FlushAsync();
        await Task.Delay(100); // the server starts reading the body before the connection goes
        socket.Client.Shutdown(SocketShutdown.Both);
    }

    // Waits for the server to log the aborts; 30 s only keeps a broken build from hanging (the assertions then fail).
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 30_000; waited += 20)
        {
            await Task.Delay(20);
        }
    }

    private sealed class LoggingHost(CapturedLogs logs, string database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("environment", "Production");
            builder.UseSetting("Pipeline:Database", database);
            builder.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        }
    }

    private sealed record Entry(string Category, LogLevel Level, int EventId, string Message);

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Entries.Enqueue(new Entry(category, logLevel, eventId.Id, formatter(state, exception) + exception));
        }
    }
}
