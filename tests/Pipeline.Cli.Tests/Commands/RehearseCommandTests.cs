namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline rehearse aws` as a user runs it: its own process, moto_server and the functions' processes started by it.</summary>
public sealed class RehearseCommandTests
{
    private static readonly string[] Steps =
    [
        "stack started",
        "data imported",
        "three recipes trained, gated and promoted",
        "POST /recommendations served by the campaign of variant 'user-personalization'",
        "POST /recommendations served by the campaign of variant 'similar-items'",
        "POST /recommendations served by the campaign of variant 'popularity'",
        "a second training that promotes is served within the cache TTL",
        "an event posted to the API reaches the campaign's real-time state through the consumer",
        "with the local Personalize stopped, the in-house fallback answers within the budget",
    ];

    [Fact]
    public async Task RehearseAws_OnMotoAndTheLocalPersonalize_HoldsEveryStep_AndExitsZero()
    {
        await using var cli = CliProcess.Start(null, "rehearse", "aws");

        var exited = await cli.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exited, $"the rehearsal did not end within 5 minutes:\n{cli.Output}");
        var lines = cli.Output.Split('\n');
        foreach (var step in Steps)
        {
            Assert.True(lines.Any(l => l.StartsWith($"✓ {step}: ", StringComparison.Ordinal)), $"step '{step}' did not hold:\n{cli.Output}");
        }
        Assert.DoesNotContain(lines, l => l.StartsWith('✗'));
        Assert.Equal(0, cli.ExitCode);
    }
}
