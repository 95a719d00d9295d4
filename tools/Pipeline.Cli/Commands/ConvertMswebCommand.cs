using System.CommandLine;
using Pipeline.Engine.Datasets;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline data convert-msweb`: the UCI msweb file as a Personalize interactions CSV.</summary>
public static class ConvertMswebCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "anonymous-msweb.data or .data.gz", Required = true };
        var output = new Option<string>("--out") { Description = "Interactions CSV to write.", Required = true };
        var command = new Command("convert-msweb", "Convert the UCI anonymous msweb data to a Personalize interactions CSV (TIMESTAMP = file position).");
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(async (ParseResult parse, CancellationToken _) =>
        {
            var from = parse.GetValue(input)!;
            if (!File.Exists(from)) throw new CommandLineException($"--in '{from}' does not exist.");
            var (users, items, rows) = MswebConverter.Convert(from, parse.GetValue(output)!);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"wrote {rows} interactions of {users} users over {items} items");
            return 0;
        });
        return command;
    }
}
