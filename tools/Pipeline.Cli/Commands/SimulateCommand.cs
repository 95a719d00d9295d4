using System.CommandLine;
using System.Globalization;
using Pipeline.Cli.LocalStack;
using Pipeline.Cli.Simulation;
using Pipeline.Engine.Datasets;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline simulate</c>: shoppers with known tastes driving a running API, then what they saw per variant.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Base URL of the running API (e.g. http://127.0.0.1:5080).", Required = true };
        var apiKey = new Option<string?>("--api-key") { Description = "Client API key, when the API requires one." };
        var users = new Option<int>("--users") { Description = "Shoppers, the first N users of the sample or dataset.", DefaultValueFactory = _ => SimulationOptions.DefaultUsers };
        var rps = new Option<int>("--rps") { Description = $"Recommendation requests per second (1-{SimulationOptions.MaxRequestsPerSecond}).", DefaultValueFactory = _ => SimulationOptions.DefaultRequestsPerSecond };
        var duration = new Option<int>("--duration") { Description = "Seconds of traffic.", DefaultValueFactory = _ => SimulationOptions.DefaultDurationSeconds };
        var seed = new Option<int>("--seed") { Description = "Seed of the shoppers' visits and decisions.", DefaultValueFactory = _ => 1 };
        var dataset = new Option<string?>("--dataset") { Description = "The folder `pipeline up --dataset` was started with: its users' held-back newest interactions are their true future." };
        var sampleUsers = new Option<int>("--sample-users") { Description = "Users of the generated sample the stack serves (as given to `pipeline up`).", DefaultValueFactory = _ => LocalStackOptions.DefaultSample.Users };
        var sampleItems = new Option<int>("--sample-items") { Description = "Items of the generated sample the stack serves (as given to `pipeline up`).", DefaultValueFactory = _ => LocalStackOptions.DefaultSample.Items };

        var command = new Command("simulate", "Send simulated shoppers with known tastes to a running API: recommendations, views, clicks and purchases.")
        {
            url, apiKey, users, rps, duration, seed, dataset, sampleUsers, sampleItems,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var problem = SimulationOptions.Check(parseResult.GetValue(url)!, parseResult.GetValue(users), parseResult.GetValue(rps), parseResult.GetValue(duration));
            if (problem is not null) throw new CommandLineException(problem);
            var options = new SimulationOptions(new Uri(parseResult.GetValue(url)!), parseResult.GetValue(apiKey), parseResult.GetValue(users),
                parseResult.GetValue(rps), TimeSpan.FromSeconds(parseResult.GetValue(duration)), parseResult.GetValue(seed));
            var truth = LoadTruth(parseResult.GetValue(dataset), parseResult.GetValue(sampleUsers), parseResult.GetValue(sampleItems), cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            var console = ConsoleFor(output);
            using var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            var simulator = new TrafficSimulator(options, truth, new ShopperApiClient(http, options.ApiKey), TimeProvider.System);
            console.MarkupLineInterpolated($"Simulating {options.TotalRequests:N0} requests ({options.RequestsPerSecond}/s for {options.Duration.TotalSeconds:0} s) from {Math.Min(options.Users, truth.Users.Count):N0} shoppers against [blue]{options.BaseUrl}[/], seed {options.Seed}");
            var summary = console.Profile.Capabilities.Interactive
                ? await console.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("Shoppers", maxValue: options.TotalRequests);
                    return await simulator.RunAsync(done => task.Value = done, cancellationToken);
                })
                : await simulator.RunAsync(null, cancellationToken);
            console.Write(SummaryTable(summary));
            // Plain lines too: scripts and tests read the figures without parsing the table.
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"requests {summary.Requests} failed {summary.FailedRequests} events {summary.EventsPosted} regret {summary.CumulativeRegret:0.0} equal-split-regret {summary.EqualSplitRegret:0.0} best-variant-share {summary.BestVariantShare:0.000}"));
            return summary.FailedRequests == summary.Requests ? 1 : 0;
        });
        return command;
    }

    private static IShopperTruth LoadTruth(string? dataset, int sampleUsers, int sampleItems, CancellationToken cancellationToken)
    {
        if (dataset is not null)
        {
            var split = DatasetHoldout.Split(DatasetHoldout.ReadInteractions(dataset, cancellationToken));
            if (split.TestUsers.Count == 0) throw new CommandLineException($"--dataset '{dataset}' has no user with two or more interactions to hold back.");
            var itemsPath = Path.Combine(dataset, DatasetFiles.Items);
            var prices = File.Exists(itemsPath)
                ? ItemsCsv.Read(itemsPath).Where(i => i.Price is not null).ToDictionary(i => i.ItemId, i => i.Price!.Value, StringComparer.Ordinal)
                : null;
            return new HeldOutShoppers(split.TestUsers, prices);
        }
        var sample = LocalStackOptions.DefaultSample with { Users = sampleUsers, Items = sampleItems, Interactions = Math.Max(sampleUsers, 1) };
        try
        {
            return new SyntheticShoppers(SyntheticGroundTruth.Create(sample));
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException("--sample-" + e.Message.Split(" (Parameter")[0]);
        }
    }

    private static Table SummaryTable(SimulationSummary summary)
    {
        static string P(double value) => value.ToString("P1", CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("variant").AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("lists").RightAligned())
            .AddColumn(new TableColumn("clicks").RightAligned()).AddColumn(new TableColumn("purchases").RightAligned())
            .AddColumn(new TableColumn("CTR").RightAligned()).AddColumn(new TableColumn("conversion").RightAligned())
            .AddColumn(new TableColumn("true list value").RightAligned());
        table.Title = new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Requests:N0} requests ({summary.FailedRequests:N0} failed), {summary.EventsPosted:N0} events in {summary.Elapsed.TotalSeconds:0.0} s"));
        foreach (var v in summary.Variants)
            table.AddRow(Markup.Escape(v.Variant), v.Users.ToString("N0", CultureInfo.InvariantCulture), v.Lists.ToString("N0", CultureInfo.InvariantCulture),
                v.Clicks.ToString("N0", CultureInfo.InvariantCulture), v.Purchases.ToString("N0", CultureInfo.InvariantCulture), P(v.Ctr), P(v.Conversion), P(v.MeanListValue));
        return table;
    }

    private static IAnsiConsole ConsoleFor(TextWriter output)
    {
        var isTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        // Logs and captured output have no width: wide enough that the summary's columns are not wrapped.
        if (!isTerminal) console.Profile.Width = 120;
        return console;
    }
}
