using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Kestrel;

namespace Pipeline.Personalize.Local.Hosting;

/// <summary>
/// The local Personalize on its own Kestrel port: what <c>pipeline personalize serve</c> runs, and what
/// <c>pipeline up</c> and tests start in-process. Port 0 picks a free port; <see cref="Endpoint"/> tells which.
/// </summary>
public sealed class PersonalizeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PersonalizeServer(WebApplication app, LocalPersonalize personalize, Uri endpoint)
    {
        _app = app;
        Personalize = personalize;
        Endpoint = endpoint;
    }

    /// <summary>The URL to give the AWS CLI as <c>--endpoint-url</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The service behind the port, for in-process calls that skip HTTP.</summary>
    public LocalPersonalize Personalize { get; }

    public static async Task<PersonalizeServer> StartAsync(
        LocalPersonalizeOptions options, int port = 0, IPAddress? address = null,
        Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var personalize = new LocalPersonalize(options);
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            logging?.Invoke(builder.Logging);
            // What Kestrel refuses before any middleware (a NUL in the path, 414, 431, broken request lines) is a ValidationException.
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address ?? IPAddress.Loopback, port,
                listen => listen.UseRefusalBodies(KestrelRefusalErrors.Render)));
            // An instance the container did not create is not disposed by it: the server disposes it after Kestrel stops.
            builder.Services.AddSingleton(personalize);
            var app = builder.Build();
            if (IPAddress.IsLoopback(address ?? IPAddress.Loopback))
            {
                app.UseLoopbackHostsOnly();
            }
            app.MapPersonalizeApi();
            await app.StartAsync(cancellationToken);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new PersonalizeServer(app, personalize, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)));
        }
        catch
        {
            await personalize.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs until the token is cancelled or the host is asked to stop. The host's console lifetime takes SIGINT and
    /// SIGTERM for itself (the caller's token never hears of them), so its stopping token must end the wait too.
    /// </summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Personalize.DisposeAsync();
    }
}
