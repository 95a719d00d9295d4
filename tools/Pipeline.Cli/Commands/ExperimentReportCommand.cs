using System.CommandLine;
using Pipeline.Adapters.Local.Sqlite;
using Pipeline.Cli.LocalStack;
using Pipeline.Cli.Reports;
using Pipeline.Domain.Experiments.Results;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline experiment report KEY --out FILE`: the HTML report from the local stack's aggregates.</summary>
public static class ExperimentReportCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "The experiment key." };
        var output = new Option<FileInfo>("--out") { Required = true, Description = "The HTML file to write." };
        var dataDir = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "The local stack's data folder (holds pipeline.db).",
            DefaultValueFactory = _ => new DirectoryInfo(LocalStackOptions.DefaultDataDirectory),
        };
        var report = new Command("report", "Write a self-contained HTML report of an experiment (the numbers of GET /experiments/{key}/results).")
        {
            key,
            output,
            dataDir,
        };
        report.SetAction(async (ParseResult parseResult, CancellationToken ct) =>
        {
            var database = Path.Combine(parseResult.GetValue(dataDir)!.FullName, "pipeline.db");
            if (!File.Exists(database))
            {
                throw new CommandLineException($"no local stack database at {database} (run `pipeline up` or pass --data-dir)");
            }
            var db = new SqliteDatabase(database);
            var results = await new ExperimentResultsService(new SqliteExperimentStore(db), new SqliteExperimentMetricsStore(db))
                .GetAsync(parseResult.GetValue(key)!, ct)
                ?? throw new CommandLineException($"no experiment '{parseResult.GetValue(key)}' in {database}");
            var file = parseResult.GetValue(output)!;
            await File.WriteAllTextAsync(file.FullName, ExperimentReportHtml.Render(results, DateTimeOffset.UtcNow), ct);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"wrote {file.FullName}");
            return 0;
        });
        return report;
    }
}
