using System.Text.Json.Nodes;
using static Pipeline.Personalize.Local.Tests.LocalPersonalizeScenario;

namespace Pipeline.Personalize.Local.Tests.Runtime;

public sealed class BatchInferenceTests
{
    [Fact]
    public async Task BatchInferenceJob_WritesOneJsonLinePerInput_InPersonalizesOutputFormat()
    {
        await using var scenario = Create();
        var (_, _, version, _) = await scenario.TrainedCampaignAsync();
        var inputFolder = Path.Combine(scenario.Options.S3Root!, "bucket", "batch-in");
        Directory.CreateDirectory(inputFolder);
        await File.WriteAllTextAsync(Path.Combine(inputFolder, "users.json"), "{\"userId\": \"user_00001\"}\n{\"userId\": \"user_00002\"}\nnot json\n");

        var arn = (await scenario.Call("CreateBatchInferenceJob", new()
        {
            ["jobName"] = "nightly", ["solutionVersionArn"] = version, ["numResults"] = 4,
            ["jobInput"] = new JsonObject { ["s3DataSource"] = new JsonObject { ["path"] = "s3://bucket/batch-in/users.json" } },
            ["jobOutput"] = new JsonObject { ["s3DataDestination"] = new JsonObject { ["path"] = "s3://bucket/batch-out/" } },
            ["roleArn"] = "arn:aws:iam::000000000000:role/personalize",
        }))["batchInferenceJobArn"]!.GetValue<string>();

        var job = (await scenario.Call("DescribeBatchInferenceJob", new() { ["batchInferenceJobArn"] = arn }))["batchInferenceJob"]!;
        Assert.Equal("ACTIVE", job["status"]!.GetValue<string>());
        var lines = (await File.ReadAllLinesAsync(Path.Combine(scenario.Options.S3Root!, "bucket", "batch-out", "users.json.out"))).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("user_00001", lines[0]["input"]!["userId"]!.GetValue<string>());
        Assert.Equal(4, lines[0]["output"]!["recommendedItems"]!.AsArray().Count);
        Assert.Equal(4, lines[0]["output"]!["scores"]!.AsArray().Count);
        Assert.Null(lines[0]["error"]);
        Assert.NotNull(lines[2]["error"]);
    }
}
