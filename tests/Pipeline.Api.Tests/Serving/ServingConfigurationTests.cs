using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Pipeline.Api.Serving;
using Pipeline.Domain.Experiments;
using Pipeline.Domain.Recommendations;
using Pipeline.Engine.Recipes;

namespace Pipeline.Api.Tests.Serving;

/// <summary><c>Serving:MaxRealtimeUsers</c> bounds the in-process models' real-time state (issue #18 item 12).</summary>
public sealed class ServingConfigurationTests(SampleModels models) : IClassFixture<SampleModels>
{
    private static readonly Experiment AllOnUserPersonalization = new(
        "default", ExperimentStatus.Running, [new Variant("up", 1, Recipes.UserPersonalization)],
        Coverage: 1, Seed: "default", CreatedAt: DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task PostEvents_FromMoreUsersThanTheBound_KeepsAtMostTheBound_AndAForgottenUserIsStillServedByTheModel()
    {
        var registry = models.Registry();
        registry.Publish(models.UserPersonalization);
        await using var server = await ApiServer.StartAsync(registry, AllOnUserPersonalization,
            settings: new Dictionary<string, string?> { ["Serving:MaxRealtimeUsers"] = "20" });
        var item = models.Items[0].ItemId;

        for (var batch = 0; batch < 5; batch++)
        {
            var events = string.Join(",", Enumerable.Range(0, 20).Select(i =>
                $$"""{"user_id":"bound-{{batch}}-{{i}}","event_type":"view","item_id":"{{item}}","session_id":"s"}"""));
            var posted = await server.Client.PostAsync("/events", new StringContent($$"""{"events":[{{events}}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        Assert.InRange(((UserPersonalizationModel)models.UserPersonalization).RealtimeUserCount, 10, 20);
        var response = await server.Client.PostAsync("/recommendations",
            new StringContent("""{"user_id":"bound-0-0","num_results":5}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ServedBy.Primary, body.GetProperty("served_by").GetString());
        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Program_WithMaxRealtimeUsersBelowTwo_RefusesToStartWithOneLine()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-serving-").FullName;
        var database = Path.Combine(folder, "pipeline.db");

        var (exitCode, stderr) = await Faults.ApiProcess.RunUntilExitAsync(database, new Dictionary<string, string> { ["Serving__MaxRealtimeUsers"] = "1" });

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Serving:MaxRealtimeUsers must be at least 2, got 1.", Assert.Single(stderr));
        Assert.False(File.Exists(database));
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-3")]
    public void FromConfiguration_WithMaxRealtimeUsersBelowTwo_RefusesNamingTheSetting(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Serving:MaxRealtimeUsers"] = value }).Build();

        var error = Assert.Throws<InvalidConfigurationException>(() => ServingConfiguration.FromConfiguration(configuration));
        Assert.StartsWith("Serving:MaxRealtimeUsers must be at least 2", error.Message, StringComparison.Ordinal);
    }
}
