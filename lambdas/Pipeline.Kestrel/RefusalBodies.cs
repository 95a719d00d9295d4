using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Kestrel;

/// <summary>
/// Gives Kestrel's own refusals a body. Kestrel answers a request it cannot parse or will not take (a NUL in the
/// path, a request line over its limit, headers over theirs, a broken request line) itself, before any middleware,
/// with an empty 4xx (or 505) and <c>Connection: close</c>. It says why through the
/// <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event (the HttpProtocol, whose
/// <see cref="IBadRequestExceptionFeature"/> holds the exception), written on the connection's own loop just before
/// that answer. A connection middleware marks each HTTP/1.x connection; the event's observer records the refusal on
/// the connection's mark; the connection's output, wrapped, then holds the next response's head and, if it is the
/// empty answer Kestrel writes, sends the host's body in its place. Everything else passes through untouched.
/// </summary>
public static class RefusalBodies
{
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    /// <summary>Every endpoint Kestrel opens from URLs, ports or <c>Listen</c> calls made after this one answers refusals with <paramref name="render"/>.</summary>
    public static IWebHostBuilder UseRefusalBodies(this IWebHostBuilder builder, Func<KestrelRefusal, RefusalBody> render) =>
        builder.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseRefusalBodies(render)));

    /// <summary>This endpoint answers refusals with <paramref name="render"/>.</summary>
    public static ListenOptions UseRefusalBodies(this ListenOptions listen, Func<KestrelRefusal, RefusalBody> render)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next =>
        {
            // Built once per endpoint when the server binds; the host's listener is the one Kestrel writes to.
            Observe(listen.ApplicationServices);
            return async connection =>
            {
                var refusals = new ConnectionRefusals();
                connection.Features.Set(refusals);
                var transport = connection.Transport;
                var output = new RefusalWriter(transport.Output, refusals, render);
                connection.Transport = new DuplexPipe(transport.Input, output);
                try
                {
                    await next(connection);
                }
                finally
                {
                    connection.Transport = transport;
                }
            };
        });
        return listen;
    }

    private static readonly Lock Subscribing = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DiagnosticListener, IDisposable> Subscribed = [];

    private static void Observe(IServiceProvider? services)
    {
        var listener = services?.GetService<DiagnosticListener>()
            ?? throw new InvalidOperationException("Kestrel's refusal bodies need the host's DiagnosticListener (a WebApplication or web host registers it).");
        lock (Subscribing)
        {
            if (!Subscribed.TryGetValue(listener, out _))
            {
                Subscribed.Add(listener, listener.Subscribe(new BadRequestObserver(), name => name == BadRequestEvent));
            }
        }
    }

    private sealed class BadRequestObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features) return;
            // The HttpProtocol falls back to the connection's features, where the middleware left its mark.
            if (features[typeof(ConnectionRefusals)] is not ConnectionRefusals refusals) return;
            var error = (features[typeof(IBadRequestExceptionFeature)] as IBadRequestExceptionFeature)?.Error;
            var status = error is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            var method = (features[typeof(IHttpRequestFeature)] as IHttpRequestFeature)?.Method;
            var requestId = (features[typeof(IHttpRequestIdentifierFeature)] as IHttpRequestIdentifierFeature)?.TraceIdentifier;
            // A HEAD's answer has no body by definition: its empty refusal stays as Kestrel wrote it.
            refusals.Pending = HttpMethods.IsHead(method ?? "") ? null : RefusalReasons.Classify(status, error?.Message, requestId);
        }

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}

/// <summary>The mark a connection carries: the refusal Kestrel reported on it and has not answered yet.</summary>
internal sealed class ConnectionRefusals
{
    public volatile KestrelRefusal? Pending;
}

internal sealed class DuplexPipe(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output) : System.IO.Pipelines.IDuplexPipe
{
    public System.IO.Pipelines.PipeReader Input { get; } = input;

    public System.IO.Pipelines.PipeWriter Output { get; } = output;
}
