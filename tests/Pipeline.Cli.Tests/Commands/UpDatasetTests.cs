using System.Text.RegularExpressions;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline up --dataset` on a user's Personalize CSVs, and `pipeline simulate --dataset` replaying the held-back future.</summary>
public sealed partial class UpDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-up-dataset-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task UpDataset_ServesTheDatasetWithoutTheHeldBackRows_AndSimulateReplaysThem()
    {
        var dataset = Path.Combine(_root, "mine");
        Assert.Equal(0, await PipelineCommandLine.InvokeAsync(["data", "generate", "--out", dataset, "--users", "300", "--items", "200", "--interactions", "6000"],
            new StringWriter(), new StringWriter()));
        var dataDir = Path.Combine(_root, "stack");
        await using var up = CliProcess.Start(null, "up", "--data-dir", dataDir, "--port", "0", "--personalize-port", "-1", "--dataset", dataset);
        var baseUrl = (await up.WaitForAsync(RunningAt(), TimeSpan.FromMinutes(3))).Groups[1].Value;

        var heldBack = HeldBack().Match(up.Output);
        Assert.True(heldBack.Success, up.Output);
        var trained = File.ReadLines(Path.Combine(dataDir, "sample", "interactions.csv")).Count() - 1;
        Assert.Equal(6000, trained + int.Parse(heldBack.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));
        await using var simulate = CliProcess.Start(null, "simulate", "--url", baseUrl, "--dataset", dataset, "--users", "100", "--rps", "50", "--duration", "2");
        Assert.True(await simulate.WaitForExitAsync(TimeSpan.FromMinutes(2)), simulate.Output);
        Assert.True(simulate.ExitCode == 0, simulate.Output);
        Assert.Matches(@"requests 100 failed 0 events \d+", simulate.Output);
    }

    [Fact]
    public async Task UpDataset_WhenTheInteractionsBreakAnImportRule_FailsWithTheImportsMessageAndCreatesNothing()
    {
        var dataset = Directory.CreateDirectory(Path.Combine(_root, "bad")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, "interactions.csv"), "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,yesterday,click\n");
        var dataDir = Path.Combine(_root, "never");
        var stderr = new StringWriter();

        var exitCode = await PipelineCommandLine.InvokeAsync(["up", "--data-dir", dataDir, "--dataset", dataset], new StringWriter(), stderr);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: interactions.csv: ", Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("TIMESTAMP", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDir));
    }

    [GeneratedRegex(@"running at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex RunningAt();

    [GeneratedRegex(@"([\d,]+) newest held back")]
    private static partial Regex HeldBack();
}
