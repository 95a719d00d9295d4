using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class TrainingScheduleDefinitionTests(SynthFixture synth)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private TrainingScheduleDefinition Synthesized => TrainingScheduleDefinition.FromTemplate(synth.ServiceJson, "Training");

    [Fact]
    public void The_rule_starts_training_nightly_with_the_nightly_input()
    {
        Assert.Equal("cron(0 3 * * ? *)", Synthesized.ScheduleExpression);
        Assert.Equal("pipeline", (string?)Synthesized.Input["dataset_group"]);
        Assert.Equal(["aws-user-personalization", "aws-sims", "aws-popularity-count"], Synthesized.Input["recipes"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("default", (string?)Synthesized.Input["experiment"]);
    }

    [Fact]
    public void Committed_schedule_matches_the_synthesized_rule()
    {
        // `pipeline up`'s scheduler runs Definitions/training-schedule.json; it must be the rule `cdk synth` deploys.
        var path = Path.Combine(synth.RepoRoot, "workflows", "Pipeline.Workflows.Definitions", "training-schedule.json");
        var current = Synthesized.ToJson().ToJsonString(Indented) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_ASL") == "1")
        {
            File.WriteAllText(path, current);
        }
        Assert.True(current == File.ReadAllText(path),
            "training-schedule.json is stale: run `UPDATE_ASL=1 dotnet test tests/Pipeline.Infra.Tests` and commit it");
        Assert.True(JsonNode.DeepEquals(Synthesized.ToJson(), TrainingScheduleDefinition.Load().ToJson()), "the embedded copy differs: rebuild Pipeline.Workflows.Definitions");
    }
}
