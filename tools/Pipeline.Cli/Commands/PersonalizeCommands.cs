using System.CommandLine;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;

namespace Pipeline.Cli.Commands;

/// <summary>`pipeline personalize …`: the local, Personalize-compatible service on the engine.</summary>
public static class PersonalizeCommands
{
    public const int DefaultPort = 8090;
    public static readonly string DefaultDataDirectory = Path.Combine(".pipeline", "personalize");

    public static Command Create()
    {
        var personalize = new Command("personalize", "A local Amazon Personalize on the project's engine (the AWS CLI works with --endpoint-url).");
        personalize.Subcommands.Add(CreateServe());
        return personalize;
    }

    private static Command CreateServe()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => DefaultPort };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder for resources, imported data and models (kept across restarts).", DefaultValueFactory = _ => DefaultDataDirectory };
        var s3Root = new Option<string?>("--s3-root") { Description = "Folder that stands for S3: s3://bucket/key is <s3-root>/bucket/key (default <data-dir>/s3)." };
        var immediate = new Option<bool>("--immediate") { Description = "Finish work before each create call returns (ACTIVE at once) instead of Personalize's PENDING → IN_PROGRESS → ACTIVE." };
        var stepSeconds = new Option<double>("--step-seconds") { Description = "Seconds each intermediate status stays visible (realistic lifecycle).", DefaultValueFactory = _ => 1.0 };

        var serve = new Command("serve", "Serve the personalize, personalize-runtime and personalize-events APIs on one port until Ctrl+C.")
        {
            port, dataDir, s3Root, immediate, stepSeconds,
        };
        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            var portValue = parseResult.GetValue(port);
            if (portValue is < 0 or > 65535) throw new CommandLineException($"--port must be between 0 and 65535, got {portValue}.");
            var directory = parseResult.GetValue(dataDir);
            if (string.IsNullOrWhiteSpace(directory)) throw new CommandLineException("--data-dir must name a folder.");
            if (File.Exists(directory)) throw new CommandLineException($"--data-dir '{directory}' is a file, not a folder.");
            var step = parseResult.GetValue(stepSeconds);
            if (step is < 0 or > 3600) throw new CommandLineException($"--step-seconds must be between 0 and 3600, got {step}.");
            var options = new LocalPersonalizeOptions
            {
                DataDirectory = Path.GetFullPath(directory),
                S3Root = parseResult.GetValue(s3Root) is { Length: > 0 } root ? Path.GetFullPath(root) : null,
                Lifecycle = parseResult.GetValue(immediate) ? LifecycleMode.Immediate : LifecycleMode.Realistic,
                StepDelay = TimeSpan.FromSeconds(step),
            };

            var output = parseResult.InvocationConfiguration.Output;
            PersonalizeServer started;
            try
            {
                started = await PersonalizeServer.StartAsync(options, portValue, cancellationToken: cancellationToken);
            }
            catch (IOException e)
            {
                throw new CommandLineException($"cannot listen on 127.0.0.1:{portValue} ({e.Message}); pass another --port.");
            }
            await using var server = started;
            await output.WriteLineAsync($"Personalize (local) listening on {server.Endpoint}");
            await output.WriteLineAsync($"  data: {options.DataDirectory}");
            await output.WriteLineAsync($"  s3:   {options.ResolvedS3Root}");
            await output.WriteLineAsync($"  try:  aws personalize list-dataset-groups --endpoint-url {server.Endpoint.ToString().TrimEnd('/')}");
            await server.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return serve;
    }
}
