using System.Diagnostics;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class CfnLintTests(SynthFixture synth)
{
    /// <summary>
    /// Checks ignored, and why:
    /// W3005 (DependsOn already enforced by a GetAtt): CDK puts both the execution role and the role's
    /// default policy in a Lambda's / state machine's DependsOn. The policy entry is what matters (the
    /// resource must not run before its permissions exist); the role entry is redundant with the
    /// Role GetAtt and harmless. Nothing else is ignored: any other warning or error fails the test.
    /// </summary>
    public static readonly string[] IgnoredChecks = ["W3005"];

    [Fact]
    public async Task SynthesizedTemplates_PassCfnLint()
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
