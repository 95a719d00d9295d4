using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Api.Apis;

/// <summary>
/// Renders console pages inside the process: each request is built here and handed to the app's whole request
/// pipeline (the same middleware, routing, the console group's filters and the page's handler a socket's request goes
/// through), so the first operator's page does not pay for compiling the Razor components and the rendering path.
/// </summary>
/// <remarks>
/// Why in-process and not over loopback HTTP: with API keys configured the console is an admin route, and this process
/// holds only the keys' SHA-256 hashes, so its own HTTP requests were 401 and nothing was warmed (issue #16).
/// Why not a one-time warm-up key instead: a request built here carries <see cref="InProcessRequest"/>, a feature
/// object that only code in this process can put into a request's feature collection (Kestrel builds each request's
/// features itself; no header, address, path or body can add one), and the API-key filter lets exactly that through
/// (<see cref="IsWarmUpRequest"/>: GET under /console). No credential exists, so there is nothing to leak, guess or
/// replay, no window during which a caller on the machine could use one, and nothing a socket can reach changes: a
/// caller without a key still gets 401, during the warm-up and after it.
/// </remarks>
public sealed class ConsoleWarmUp : IStartupFilter
{
    private RequestDelegate? _pipeline;

    /// <summary>Captures the app's whole pipeline: a pass-through middleware in front of everything, which records what comes after it.</summary>
    Action<IApplicationBuilder> IStartupFilter.Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(rest =>
        {
            _pipeline = rest;
            return rest;
        });
        next(app);
    };

    /// <summary>True for a request this class built (never one read from a socket), a GET under /console.</summary>
    internal static bool IsWarmUpRequest(HttpContext http) =>
        ReferenceEquals(http.Features.Get<InProcessRequest>(), InProcessRequest.Instance)
        && HttpMethods.IsGet(http.Request.Method)
        && http.Request.Path.StartsWithSegments("/console", StringComparison.Ordinal);

    /// <summary>Renders each path twice (the second round runs the JIT's code already in place); each path's answer and the time taken.</summary>
    public async Task<ConsoleWarmUpReport> RunAsync(IServiceProvider services, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var pipeline = _pipeline ?? throw new InvalidOperationException(
            "The console warm-up renders through the app's request pipeline, which is built when the app starts: start it first.");
        var contexts = services.GetRequiredService<IHttpContextFactory>();
        var started = Stopwatch.GetTimestamp();
        var answers = new Dictionary<string, ConsoleWarmUpPath>(StringComparer.Ordinal);
        for (var round = 0; round < 2; round++)
        {
            foreach (var path in paths)
            {
                var answer = await RenderAsync(pipeline, contexts, path, cancellationToken);
                // A path that failed in either round is reported with that round's answer.
                if (!answers.TryGetValue(path, out var earlier) || earlier.Rendered) answers[path] = answer;
            }
        }
        return new ConsoleWarmUpReport([.. paths.Select(p => answers[p])], Stopwatch.GetElapsedTime(started));
    }

    private static async Task<ConsoleWarmUpPath> RenderAsync(RequestDelegate pipeline, IHttpContextFactory contexts, string path, CancellationToken cancellationToken)
    {
        var target = "/" + path.TrimStart('/');
        var response = new DiscardedResponse();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = "http",
            Method = HttpMethods.Get,
            Path = target,
            RawTarget = target,
            // The local stack answers only loopback host names (LoopbackHosts).
            Headers = new HeaderDictionary { [HeaderNames.Host] = "127.0.0.1" },
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = cancellationToken });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = "console-warm-up", LocalIpAddress = IPAddress.Loopback, RemoteIpAddress = IPAddress.Loopback,
        });
        features.Set(InProcessRequest.Instance);
        // As the server does: the factory gives the request its service scope, which Dispose ends.
        var context = contexts.Create(features);
        try
        {
            await pipeline(context);
            await response.FinishAsync();
            return new ConsoleWarmUpPath(path, context.Response.StatusCode, response.BytesWritten);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What escaped the exception handler: the server would answer 500.
            return new ConsoleWarmUpPath(path, StatusCodes.Status500InternalServerError, 0);
        }
        finally
        {
            contexts.Dispose(context);
        }
    }

    /// <summary>The mark of a request built by the warm-up. Internal, and never set from anything a request carries.</summary>
    internal sealed class InProcessRequest
    {
        public static readonly InProcessRequest Instance = new();

        private InProcessRequest()
        {
        }
    }

    /// <summary>
    /// A response whose body is counted and dropped. Like Kestrel's, it runs the OnStarting callbacks (last registered
    /// first) before the first byte or at the end, whichever comes first, and the OnCompleted ones after the request.
    /// </summary>
    private sealed class DiscardedResponse : IHttpResponseFeature, IHttpResponseBodyFeature
    {
        private readonly Stack<(Func<object, Task> Callback, object State)> _starting = new();
        private readonly Stack<(Func<object, Task> Callback, object State)> _completed = new();
        private readonly CountingStream _body;
        private bool _finished;

        public DiscardedResponse()
        {
            _body = new CountingStream(this);
            Writer = PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));
        }

        public long BytesWritten => _body.Written;

        public int StatusCode { get; set; } = StatusCodes.Status200OK;

        public string? ReasonPhrase { get; set; }

        public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

        [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
        public Stream Body { get => _body; set => throw new NotSupportedException("Set HttpResponse.Body instead."); }

        public bool HasStarted { get; private set; }

        public Stream Stream => _body;

        public PipeWriter Writer { get; }

        public void OnStarting(Func<object, Task> callback, object state)
        {
            if (HasStarted) throw new InvalidOperationException("The response has already started.");
            _starting.Push((callback, state));
        }

        public void OnCompleted(Func<object, Task> callback, object state) => _completed.Push((callback, state));

        public void DisableBuffering()
        {
        }

        public async Task StartAsync(CancellationToken cancellationToken = default)
        {
            if (HasStarted) return;
            while (_starting.TryPop(out var starting)) await starting.Callback(starting.State);
            HasStarted = true;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

        public async Task CompleteAsync()
        {
            await StartAsync();
            await Writer.FlushAsync();
        }

        /// <summary>The end of the request, as the server ends it: the response completed, then the OnCompleted callbacks.</summary>
        public async Task FinishAsync()
        {
            if (_finished) return;
            _finished = true;
            await CompleteAsync();
            while (_completed.TryPop(out var completed)) await completed.Callback(completed.State);
        }
    }

    /// <summary>Write-only: starts the response before its first byte, counts the bytes and drops them.</summary>
    private sealed class CountingStream(DiscardedResponse response) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await response.StartAsync(cancellationToken);
            Written += buffer.Length;
        }

        public override void Flush() => FlushAsync().GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => response.StartAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
