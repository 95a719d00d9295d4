using Pipeline.Api.Apis;
using System.CommandLine;
using Pipeline.Cli.LocalStack;
using Pipeline.Cli.Workflows;
using Pipeline.Engine.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Domain.Experiments;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Workflows.Definitions;
using Pipeline.Workflows.Local;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline up</c>: the whole system on one machine, with sample data on first run.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Folder for the sample data, database and models (reused on later runs).",
            DefaultValueFactory = _ => LocalStackOptions.DefaultDataDirectory,
        };
        var port = new Option<int>("--port")
        {
            Description = "Port of the API on 127.0.0.1 (0 picks a free one).",
            DefaultValueFactory = _ => LocalStackOptions.DefaultPort,
        };
        var personalizePort = new Option<int>("--personalize-port")
        {
            Description = "Port of the local Amazon Personalize service on 127.0.0.1 (0 picks a free one, -1 turns it off).",
            DefaultValueFactory = _ => LocalStackOptions.DefaultPersonalizePort,
        };
        var users = new Option<int>("--sample-users") { DefaultValueFactory = _ => LocalStackOptions.DefaultSample.Users, Description = "Users in the generated sample (first run only)." };
        var items = new Option<int>("--sample-items") { DefaultValueFactory = _ => LocalStackOptions.DefaultSample.Items, Description = "Items in the generated sample (first run only)." };
        var interactions = new Option<int>("--sample-interactions") { DefaultValueFactory = _ => LocalStackOptions.DefaultSample.Interactions, Description = "Interactions in the generated sample (first run only)." };

        var dataset = new Option<string?>("--dataset")
        {
            Description = "Serve this folder's Personalize CSVs (interactions.csv; items.csv and users.csv optional) instead of a generated sample, " +
                "holding back each user's newest interactions for `pipeline simulate --dataset` (first run only).",
        };
        var webhook = AlertWebhookOption.Create();

        var command = new Command("up", "Start the local stack: sample data, trained models, the default experiment, the API and the nightly retraining schedule.")
        {
            dataDir, port, personalizePort, users, items, interactions, dataset, webhook,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var sample = LocalStackOptions.DefaultSample with
            {
                Users = parseResult.GetValue(users),
                Items = parseResult.GetValue(items),
                Interactions = parseResult.GetValue(interactions),
            };
            var options = new LocalStackOptions(parseResult.GetValue(dataDir)!, parseResult.GetValue(port), sample, parseResult.GetValue(personalizePort),
                parseResult.GetValue(dataset));
            Validate(options);
            if (options.Dataset is { } folder) DatasetSample.Validate(folder, cancellationToken);
            var webhookUrl = AlertWebhookOption.Validate(parseResult.GetValue(webhook));
            var output = parseResult.InvocationConfiguration.Output;
            return await RunAsync(options, webhookUrl, ConsoleFor(output), output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static void Validate(LocalStackOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new CommandLineException($"--port must be between 0 and 65535, got {options.Port}.");
        }
        if (options.PersonalizePort is < -1 or > 65535)
        {
            throw new CommandLineException($"--personalize-port must be -1 (off) or between 0 and 65535, got {options.PersonalizePort}.");
        }
        try
        {
            options.SampleData.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException(e.Message);
        }
    }

    private static async Task<int> RunAsync(
        LocalStackOptions options, Uri? webhook, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        console.MarkupLineInterpolated($"[bold]Pipeline[/] local stack in [blue]{Path.GetFullPath(options.DataDirectory)}[/]");
        var models = console.Profile.Capabilities.Interactive
            ? await console.Progress().AutoClear(false).StartAsync(context =>
                new LocalStackPreparer(options, new BarPreparationProgress(context), TimeProvider.System).PrepareAsync(cancellationToken))
            : await new LocalStackPreparer(options, new LinePreparationProgress(console), TimeProvider.System).PrepareAsync(cancellationToken);

        // Personalize first: the API serves campaign-backed variants through its runtime endpoint.
        var personalizeOptions = PersonalizeOptions(options);
        await using var personalize = await StartPersonalizeAsync(options, cancellationToken);
        await using var app = LocalStackHost.Build(options, models, personalizeEndpoint: personalize?.Endpoint, personalizeRegion: personalizeOptions.Region);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new CommandLineException($"cannot listen on 127.0.0.1:{options.Port} ({e.Message}); pass another --port.");
        }
        // Every console page rendered once before anything else starts (the first import trains on both cores) and
        // before the stack says it is ready: an operator's first page does not pay for compiling the components.
        // In-process, so it needs no key when API keys are configured (the CLI has only their hashes).
        output.WriteLine((await ConsoleApi.WarmUpAsync(app.Services, cancellationToken)).Describe());

        // The nightly rule CDK deploys, fired here; its runs use the Personalize the service above serves.
        await using var ownPersonalize = personalize is null ? new LocalPersonalize(personalizeOptions) : null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (_, alerts) = AlertWebhookOption.CreateSinks(options.DataDirectory, webhook, http, error);
        // Promotions go through the API's own experiment store (and its serving cache): the next requests serve them.
        var runner = new LocalWorkflowRunner(options.DataDirectory, personalize?.Personalize ?? ownPersonalize!, personalizeOptions, alerts, NightlyRetraining.WaitScale,
            app.Services.GetRequiredService<IExperimentStore>(), app.Services.GetRequiredService<Domain.Experiments.Metrics.IExperimentMetricsStore>());
        using var stopScheduler = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rule = TrainingScheduleDefinition.Load();
        // A fresh data folder: the rule's dataset group gets the sample through the training workflow, in the background
        // (the API already serves the engine's models); the nightly runs wait for it.
        var firstImport = RunFirstImportAsync(new FirstImport(rule, runner, personalize?.Personalize ?? ownPersonalize!, personalizeOptions), output, stopScheduler.Token);
        var nightly = new NightlyRetraining(rule, runner, TimeProvider.System, output, firstImport);
        var scheduler = nightly.RunAsync(stopScheduler.Token);
        var bandits = new BanditSchedule(app.Services.GetRequiredService<Domain.Experiments.Bandits.BanditUpdater>(), TimeProvider.System, output)
            .RunAsync(stopScheduler.Token);
        // `pipeline workflow start --data-dir` on this folder asks this stack (StartExecution) instead of opening its files.
        await using var stepFunctions = await LocalStepFunctionsServer.StartAsync(runner, firstImport, cancellationToken);
        app.Services.GetRequiredService<LocalStackWorkflows>().Attach(runner, stepFunctions, nightly);
        // "running at" is the readiness line scripts and tests wait for: printed once every service is up.
        PrintWelcome(console, output, app.Urls.First(), options.SampleData);
        output.WriteLine($"Console: {app.Urls.First()}/console");
        if (personalize is not null)
        {
            output.WriteLine($"Amazon Personalize (local): aws personalize list-dataset-groups --endpoint-url {personalize.Endpoint.ToString().TrimEnd('/')}");
        }
        output.WriteLine($"Step Functions (local): aws stepfunctions start-execution --endpoint-url {stepFunctions.Endpoint.ToString().TrimEnd('/')} --state-machine-arn arn:aws:states:{personalizeOptions.Region}:{personalizeOptions.AccountId}:stateMachine:{LocalWorkflows.Training}");
        if (webhook is not null) output.WriteLine($"Alerts: {LocalWorkflowRunner.AlertsPath(options.DataDirectory)} and POST {webhook}");

        // Ends on Ctrl+C or SIGTERM (the host's console lifetime) or when the caller cancels.
        await app.WaitForShutdownAsync(cancellationToken);
        console.MarkupLine("Shutting down…");
        await stopScheduler.CancelAsync();
        await firstImport;
        await scheduler;
        await bandits;
        // Requests in flight finish; every acknowledged event was committed before its 202.
        await app.StopAsync(CancellationToken.None);
        console.MarkupLine("Stopped.");
        return 0;
    }

    /// <summary>Runs the first import when the local Personalize needs it; its failure is printed (and alerted by the workflow), never thrown.</summary>
    private static async Task RunFirstImportAsync(FirstImport firstImport, TextWriter output, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the caller goes on to serve
        try
        {
            await firstImport.RunIfNeededAsync(output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the stack: the group still has no ACTIVE import, so the next `pipeline up` runs it again.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await output.WriteLineAsync($"Personalize (local): first import could not run: {e.Message}");
        }
    }

    /// <summary>The local Personalize service on the engine, so the AWS CLI and SDKs can be pointed at this machine.</summary>
    private static async Task<PersonalizeServer?> StartPersonalizeAsync(LocalStackOptions options, CancellationToken cancellationToken)
    {
        if (options.PersonalizePort < 0)
        {
            return null;
        }
        try
        {
            return await PersonalizeServer.StartAsync(
                PersonalizeOptions(options), options.PersonalizePort,
                logging: logging => logging.ClearProviders(), cancellationToken: cancellationToken);
        }
        catch (IOException e)
        {
            throw new CommandLineException(
                $"cannot listen on 127.0.0.1:{options.PersonalizePort} ({e.Message}); pass another --personalize-port, or -1.");
        }
    }

    // s3://BUCKET/KEY is <data-dir>/BUCKET/KEY, as for `pipeline workflow start`: the sample imports as s3://sample/….
    private static LocalPersonalizeOptions PersonalizeOptions(LocalStackOptions options) =>
        new() { DataDirectory = options.PersonalizeDirectory, S3Root = Path.GetFullPath(options.DataDirectory) };

    private static void PrintWelcome(IAnsiConsole console, TextWriter output, string baseUrl, SyntheticDataOptions sample)
    {
        var user = IdFormat.Format("user_", 1, IdFormat.Width(sample.Users));
        var item = IdFormat.Format("item_", 1, IdFormat.Width(sample.Items));
        console.WriteLine();
        console.MarkupLineInterpolated($"Pipeline is running at [bold green]{baseUrl}[/]  (Ctrl+C to stop)");
        console.WriteLine();
        // Plain writes: the console would wrap the commands at its width and break copy and paste.
        output.WriteLine("Try:");
        output.WriteLine($"  curl -s -X POST {baseUrl}/recommendations -H 'content-type: application/json' -d '{{\"user_id\":\"{user}\",\"num_results\":5}}'");
        output.WriteLine($"  curl -s -X POST {baseUrl}/events -H 'content-type: application/json' -d '{{\"user_id\":\"{user}\",\"event_type\":\"click\",\"item_id\":\"{item}\",\"session_id\":\"s-1\"}}'");
    }

    private static IAnsiConsole ConsoleFor(TextWriter output) =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = output == Console.Out && !Console.IsOutputRedirected ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = output == Console.Out && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
        });
}
