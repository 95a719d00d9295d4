using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Api.Tests.Scale;

/// <summary>
/// Counts the AWS calls a process makes, by operation (the <c>X-Amz-Target</c> of the JSON protocols DynamoDB and SQS
/// use: <c>DynamoDB_20120810.GetItem</c>, <c>AmazonSQS.SendMessageBatch</c>; S3's REST calls by method): a reverse proxy in front of the real
/// endpoint (moto_server), so the process under test is Program.cs unchanged, pointed at the proxy by AWS_ENDPOINT_URL.
/// </summary>
public sealed class AwsCallCounter : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly WebApplication _proxy;
    private readonly HttpClient _upstream = new();

    private AwsCallCounter(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _proxy = builder.Build();
        _proxy.Run(context => ForwardAsync(context, target));
    }

    public Uri Endpoint => new(_proxy.Urls.Single());

    public IReadOnlyList<string> Calls => [.. _calls];

    public static async Task<AwsCallCounter> StartAsync(Uri target)
    {
        var counter = new AwsCallCounter(target);
        await counter._proxy.StartAsync();
        return counter;
    }

    public void Reset() => _calls.Clear();

    /// <summary>Calls by operation name (the part after the dot).</summary>
    public IReadOnlyDictionary<string, int> ByOperation() =>
        Calls.GroupBy(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        var request = context.Request;
        _calls.Enqueue(request.Headers.TryGetValue("X-Amz-Target", out var operation) ? operation.ToString() : $"S3.{request.Method}");
        using var upstream = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(target, request.Path + request.QueryString));
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        upstream.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!upstream.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) upstream.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var response = await _upstream.SendAsync(upstream);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _upstream.Dispose();
    }
}
