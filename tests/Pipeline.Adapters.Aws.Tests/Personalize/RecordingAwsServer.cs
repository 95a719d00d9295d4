using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Adapters.Aws.Tests.Personalize;

/// <summary>
/// A tiny HTTP server on a loopback port standing in for an AWS endpoint: it records each request (method, path,
/// headers, body) and answers with a canned status, headers and JSON body.
/// </summary>
public sealed class RecordingAwsServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public RecordingAwsServer()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public List<RecordedRequest> Requests { get; } = [];

    public int Status { get; set; } = 200;

    public string ResponseBody { get; set; } = "{}";

    public Dictionary<string, string> ResponseHeaders { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
            lock (Requests)
            {
                Requests.Add(new RecordedRequest(context.Request.HttpMethod, context.Request.Url!, headers, body.ToArray()));
            }
            context.Response.StatusCode = Status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in ResponseHeaders)
            {
                context.Response.Headers[name] = value;
            }
            var bytes = Encoding.UTF8.GetBytes(ResponseBody);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record RecordedRequest(string Method, Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
