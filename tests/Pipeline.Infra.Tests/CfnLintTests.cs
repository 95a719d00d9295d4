using System.Diagnostics;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class CfnLintTests(SynthFixture synth)
{
    /// <summary>
    /// Checks ignored, and why:
    /// W3005 (redundant DependsOn): CDK adds DependsOn from a Lambda/state machine to its role's default
    /// policy on purpose, so the policy exists before the resource is first invoked; the GetAtt on the
    /// role alone would not order the policy.
    /// </summary>
    public static readonly string[] IgnoredChecks = ["W3005"];

    [Fact]
    public async Task Synthesized_templates_pass_cfn_lint()
    {
        var start = new ProcessStartInfo("cfn-lint")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--ignore-checks");
        foreach (var check in IgnoredChecks)
        {
            start.ArgumentList.Add(check);
        }
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(synth.DataTemplatePath);
        start.ArgumentList.Add(synth.ServiceTemplatePath);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cfn-lint did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"cfn-lint exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
