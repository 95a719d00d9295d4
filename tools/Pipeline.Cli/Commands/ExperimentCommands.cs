using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Cli.Experiments;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline experiment ...`: experiment analysis.</summary>
public static class ExperimentCommands
{
    public static Command Create()
    {
        var experiment = new Command("experiment", "Experiments: analysis of A/B test results, reports, sample sizes.");
        experiment.Subcommands.Add(CreateAnalyze());
        experiment.Subcommands.Add(ExperimentReportCommand.Create());
        experiment.Subcommands.Add(ExperimentPowerCommand.Create());
        return experiment;
    }

    private static Command CreateAnalyze()
    {
        var input = new Option<FileInfo>("--input")
        {
            Required = true,
            Description = "A JSON file of analysis cases, in the format of conformance/stats/reference.json ({\"cases\": [...]}).",
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of tables." };
        var analyze = new Command("analyze",
            "Analyse experiment cases: Welch (absolute/relative), sequential, chance to win, SRM, Holm/BH, CUPED, power.")
        {
            input,
            json,
        };
        analyze.SetAction(async (ParseResult parseResult, CancellationToken ct) =>
        {
            var file = parseResult.GetValue(input)!;
            var results = Analyze(await ReadInput(file, ct), file);
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                var text = ReferenceCaseRunner.ToJson(results).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await output.WriteLineAsync(text.AsMemory(), ct);
            }
            else
            {
                WriteTables(results, output);
            }
            return 0;
        });
        return analyze;
    }

    private static async Task<string> ReadInput(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new CommandLineException($"input file not found: {file.FullName}");
        try
        {
            return await File.ReadAllTextAsync(file.FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"cannot read {file.FullName}: {OneLine(e.Message)}");
        }
    }

    private static IReadOnlyList<AnalysisCaseResult> Analyze(string text, FileInfo file)
    {
        try
        {
            return ReferenceCaseRunner.Run(text);
        }
        catch (AnalysisInputException e)
        {
            throw new CommandLineException($"{file.Name}: {OneLine(e.Message)}");
        }
    }

    private static void WriteTables(IReadOnlyList<AnalysisCaseResult> results, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        foreach (var result in results)
        {
            var table = new Table { Title = new TableTitle($"case {result.Index}: {result.Kind}") };
            table.AddColumn("field");
            table.AddColumn(new TableColumn("value").RightAligned());
            foreach (var (field, value) in result.Results) table.AddRow(Markup.Escape(field), Markup.Escape(Format(value)));
            console.Write(table);
        }
    }

    private static string Format(JsonNode? value) => value switch
    {
        null => "n/a",
        JsonArray array => string.Join(", ", array.Select(Format)),
        JsonValue v when v.TryGetValue<double>(out var number) => number.ToString("G6", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
