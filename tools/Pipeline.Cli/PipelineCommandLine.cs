using System.CommandLine;

namespace Pipeline.Cli;

/// <summary>The `pipeline` command tree; each command lives in Commands/ and is added here.</summary>
public static class PipelineCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Pipeline: personalized recommendations with built-in A/B testing.");
        root.Subcommands.Add(Commands.UpCommand.Create());
        root.Subcommands.Add(Commands.DataCommands.Create());
        root.Subcommands.Add(Commands.ExperimentCommands.Create());
        root.Subcommands.Add(Commands.EvaluateCommand.Create());
        root.Subcommands.Add(Commands.PersonalizeCommands.Create());
        root.Subcommands.Add(Commands.WorkflowCommands.Create());
        root.Subcommands.Add(Commands.RehearseCommand.Create());
        root.Subcommands.Add(Commands.SimulateCommand.Create());
        return root;
    }

    /// <summary>Runs the command line; a usage error is one line on stderr and exit code 2.</summary>
    public static async Task<int> InvokeAsync(
        string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var parseResult = Build().Parse(args);
        var stderr = error ?? Console.Error;
        if (parseResult.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"error: {parseResult.Errors[0].Message}");
            return 2;
        }
        // The default handler would print CommandLineException with a stack trace and exit 1; it is handled below instead.
        var configuration = new InvocationConfiguration { Output = output ?? Console.Out, Error = stderr, EnableDefaultExceptionHandler = false,
            // SIGINT/SIGTERM cancel the action; it gets this long to finish requests in flight and stop its background runs
            // before System.CommandLine gives up on it (its default, 2 s, is shorter than a training step's cancellation).
            ProcessTerminationTimeout = TimeSpan.FromSeconds(8),
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (CommandLineException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            return 130; // stopped (a signal or the caller) before the command could finish: the conventional exit code
        }
        catch (Api.InvalidConfigurationException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }
}

/// <summary>Invalid arguments found after parsing: reported as one line, exit code 2, nothing written.</summary>
public sealed class CommandLineException(string message) : Exception(message);
