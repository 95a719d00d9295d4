using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Tests;

[Collection(SynthCollection.Name)]
public sealed class TrainingScheduleTests(SynthFixture synth)
{
    private TrainingScheduleDefinition Synthesized => TrainingScheduleDefinition.FromTemplate(synth.ServiceJson, "Training");

    [Fact]
    public void Rule_StartsTrainingNightlyWithTheNightlyInput()
    {
        Assert.Equal("cron(0 3 * * ? *)", Synthesized.ScheduleExpression);
        Assert.Equal("pipeline", (string?)Synthesized.Input["dataset_group"]);
        Assert.Equal(["aws-user-personalization", "aws-sims", "aws-popularity-count"], Synthesized.Input["recipes"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("default", (string?)Synthesized.Input["experiment"]);
    }

    [Fact]
    public void CommittedSchedule_MatchesTheSynthesizedRule()
    {
        // `pipeline up`'s scheduler runs Definitions/training-schedule.json; it must be the rule `cdk synth` deploys.
        CommittedDefinition.AssertMatches(synth.RepoRoot, "training-schedule.json", Synthesized.ToJson(), TrainingScheduleDefinition.Load().ToJson());
    }
}
