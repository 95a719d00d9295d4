using Pipeline.Cli.Rehearsal;

namespace Pipeline.Cli.Tests.Rehearsal;

public sealed class RehearsalStepsTests
{
    [Fact]
    public async Task Run_WhenAStepFails_PrintsACrossWithItsOneLineReason_AndTheRehearsalFails()
    {
        var output = new StringWriter();
        var steps = new RehearsalSteps(output);

        var held = await steps.RunAsync("held", () => Task.FromResult("because it did"));
        var failed = await steps.RunAsync("failed", () => throw new StepFailedException("served_by fallback:timeout\nnot primary"));
        var crashed = await steps.RunAsync("crashed", () => throw new InvalidOperationException("moto_server is not on PATH"));
        await steps.NotRunAsync("skipped", "no campaign was promoted");

        Assert.True(held);
        Assert.False(failed);
        Assert.False(crashed);
        Assert.False(steps.AllPassed);
        Assert.Equal(3, steps.Failed);
        Assert.Equal(
            [
                "✓ held: because it did",
                "✗ failed: served_by fallback:timeout not primary",
                "✗ crashed: InvalidOperationException: moto_server is not on PATH",
                "✗ skipped: not run: no campaign was promoted",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AllPassed_OnlyWhenEveryStepHeld()
    {
        var steps = new RehearsalSteps(TextWriter.Null);
        Assert.False(steps.AllPassed); // nothing ran: nothing held

        await steps.RunAsync("one", () => Task.FromResult("ok"));
        await steps.RunAsync("two", () => Task.FromResult("ok"));

        Assert.True(steps.AllPassed);
    }
}
