using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Api.Tests.Observability;

public sealed class OtlpExportTests(SampleModels models) : IClassFixture<SampleModels>
{
    [Fact]
    public async Task Metrics_WhenAnOtlpEndpointIsSet_ArePostedAsProtobufToV1Metrics_WithTheMetersInstruments()
    {
        // A real HTTP listener standing in for the collector: it keeps every body POSTed to it, by path.
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            received.Enqueue((request.Path.Value!, request.ContentType, buffer.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();

        await using var server = await ApiServer.StartAsync(models.Registry(), settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.Single(),
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        (await server.Client.PostAsJsonAsync("/recommendations", new { user_id = "user_00001" })).EnsureSuccessStatusCode();
        (await server.Client.PostAsJsonAsync("/events", new { user_id = "user_00001", event_type = "click", item_id = "item_00001", session_id = "s" }))
            .EnsureSuccessStatusCode();

        string[] instruments = ["pipeline.recommendations.duration", "pipeline.recommendations", "pipeline.events", "Pipeline.Api"];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var exported = "";
        while (DateTime.UtcNow < deadline && !instruments.All(exported.Contains))
        {
            await Task.Delay(100);
            exported = string.Concat(received.Where(r => r.Path == "/v1/metrics").Select(r => Encoding.Latin1.GetString(r.Body)));
        }

        Assert.All(instruments, name => Assert.Contains(name, exported));
        Assert.All(received.Where(r => r.Path == "/v1/metrics"), r => Assert.Equal("application/x-protobuf", r.ContentType));
    }
}
