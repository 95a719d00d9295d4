using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Engine.Datasets;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline data …`: making and inspecting Personalize-shaped datasets.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Create and inspect datasets in Amazon Personalize's CSV format.");
        data.Subcommands.Add(CreateGenerate());
        data.Subcommands.Add(ConvertMswebCommand.Create());
        return data;
    }

    private static Command CreateGenerate()
    {
        var defaults = new SyntheticDataOptions();
        var output = new Option<string>("--out") { Description = "Directory to write interactions.csv, items.csv, users.csv and their schemas to.", Required = true };
        var users = new Option<int>("--users") { Description = "Number of users.", DefaultValueFactory = _ => defaults.Users };
        var items = new Option<int>("--items") { Description = "Number of items.", DefaultValueFactory = _ => defaults.Items };
        var interactions = new Option<int>("--interactions") { Description = "Number of interaction rows (at least one per user).", DefaultValueFactory = _ => defaults.Interactions };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same bytes.", DefaultValueFactory = _ => defaults.Seed };

        var generate = new Command("generate", "Generate a synthetic dataset with learnable signal (popularity, tastes, sessions, a purchase funnel).");
        generate.Options.Add(output);
        generate.Options.Add(users);
        generate.Options.Add(items);
        generate.Options.Add(interactions);
        generate.Options.Add(seed);
        generate.SetAction(async (ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            var options = new SyntheticDataOptions(parseResult.GetValue(users), parseResult.GetValue(items), parseResult.GetValue(interactions), parseResult.GetValue(seed));
            var directory = parseResult.GetValue(output)!;
            // Everything is checked before the first byte is written, so a bad invocation leaves no half dataset behind.
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message.Split(" (Parameter")[0]);
            }
            if (string.IsNullOrWhiteSpace(directory)) throw new CommandLineException("--out must name a directory.");
            if (File.Exists(directory)) throw new CommandLineException($"--out '{directory}' is a file, not a directory.");

            var console = CreateConsole(parseResult.InvocationConfiguration.Output);
            var stopwatch = Stopwatch.StartNew();
            SyntheticDataSummary summary;
            if (console.Profile.Capabilities.Interactive)
            {
                summary = await console.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("Generating interactions", maxValue: options.Interactions);
                    var progress = new Progress<long>(written => task.Value = written);
                    var result = await Task.Run(() => SyntheticDataGenerator.Generate(options, directory, progress, cancellationToken), cancellationToken);
                    task.Value = options.Interactions;
                    return result;
                });
            }
            else
            {
                summary = await Task.Run(() => SyntheticDataGenerator.Generate(options, directory, cancellationToken: cancellationToken), cancellationToken);
            }
            stopwatch.Stop();
            console.Write(SummaryTable(summary, directory, stopwatch.Elapsed));
            return 0;
        });
        return generate;
    }

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        // Progress bars only on a real terminal: redirected or captured output gets the summary alone.
        var isTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    private static Table SummaryTable(SyntheticDataSummary summary, string directory, TimeSpan elapsed)
    {
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("dataset").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle($"wrote {Markup.Escape(directory)}");
        table.AddRow("users", N(summary.Users));
        table.AddRow("items", N(summary.Items));
        table.AddRow("interactions", N(summary.Interactions));
        table.AddRow("  views", N(summary.Views));
        table.AddRow("  clicks", N(summary.Clicks));
        table.AddRow("  purchases", N(summary.Purchases));
        table.AddRow("from", summary.FirstTimestamp.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        table.AddRow("to", summary.LastTimestamp.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        table.AddRow("seconds", elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
        return table;
    }
}
