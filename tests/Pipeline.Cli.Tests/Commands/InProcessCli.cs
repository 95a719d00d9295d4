namespace Pipeline.Cli.Tests.Commands;

/// <summary>`pipeline` run inside the test's process with its two streams captured, for commands that need no signals.</summary>
internal static class InProcessCli
{
    public static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PipelineCommandLine.InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
