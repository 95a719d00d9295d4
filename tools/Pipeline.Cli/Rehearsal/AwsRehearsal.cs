using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Pipeline.Adapters.Aws.DynamoDb;
using Pipeline.Cli.LocalStack;
using Pipeline.DeploymentContract;
using Pipeline.Engine.Datasets;
using Pipeline.Personalize.Local;
using Pipeline.Personalize.Local.Hosting;
using Pipeline.Personalize.Local.Lifecycle;
using Pipeline.StatesLanguage.Interpreter;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Cli.Rehearsal;

/// <summary>How big and how fast the rehearsal is.</summary>
/// <param name="CacheSeconds">The API's experiments/campaign cache TTL (Serving:RefreshSeconds): a promotion must be served within it.</param>
/// <param name="BudgetMilliseconds">The API's latency budget (Serving:BudgetMilliseconds) the fallback answers must keep.</param>
public sealed record RehearsalOptions(SyntheticDataOptions Sample, double CacheSeconds = 2, int BudgetMilliseconds = 100, int NumResults = 5, int FallbackRequests = 20);

/// <summary>
/// `pipeline rehearse aws`: the AWS deployment rehearsed on this machine. moto_server stands for DynamoDB, S3, SQS, SNS and
/// EventBridge; the local Personalize serves over HTTP on loopback; the API and the events consumer are Program.cs
/// started as their own processes with the functions' environment (PIPELINE_MODE=aws, PIPELINE_ROLE); the training
/// workflow is the synthesized ASL on the interpreter (<see cref="RehearsalTraining"/>). Each step prints ✓ or ✗.
/// </summary>
public sealed partial class AwsRehearsal(TextWriter output, RehearsalOptions options) : IAsyncDisposable
{
    private const string SampleFolder = "sample";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pipeline-rehearsal-");
    private MotoServerProcess? _moto;
    private MotoAws _aws = null!;
    private MotoResources _deployment = null!;
    private PersonalizeServer? _personalize;
    private FunctionProcess? _apiProcess;
    private FunctionProcess? _consumerProcess;
    private ApiClient _api = null!;
    private RehearsalTraining _training = null!;
    private string _user = "";
    private string _seedItem = "";
    private int _catalogSize;

    private string S3Root => Path.Combine(_work.FullName, "s3");

    /// <summary>Runs every step; true only when each held.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var steps = new RehearsalSteps(output);
        if (!await steps.RunAsync("stack started", () => StartAsync(cancellationToken)))
        {
            foreach (var name in StepNames) await steps.NotRunAsync(name, "the stack did not start");
            return false;
        }
        Execution? first = null;
        var imported = await steps.RunAsync(StepNames[0], async () =>
        {
            first = await _training.RunAsync(FirstTrainingInput(), cancellationToken);
            return await CheckImportedAsync(first, cancellationToken);
        });
        var promoted = imported && await steps.RunAsync(StepNames[1], () => CheckPromotedAsync(first!, cancellationToken));
        if (!promoted)
        {
            foreach (var name in StepNames.Skip(imported ? 2 : 1)) await steps.NotRunAsync(name, "no campaign was promoted");
            return false;
        }
        foreach (var variant in DefaultExperiment.Create(DateTimeOffset.UnixEpoch).Variants)
        {
            await steps.RunAsync($"{StepNames[2]} '{variant.Key}'", () => CheckVariantServedAsync(variant.Key, cancellationToken));
        }
        await steps.RunAsync(StepNames[3], () => CheckRetrainingServedAsync(cancellationToken));
        await steps.RunAsync(StepNames[4], () => CheckEventReachesCampaignAsync(cancellationToken));
        await steps.RunAsync(StepNames[5], () => CheckFallbackAsync(cancellationToken));
        await output.WriteLineAsync(steps.AllPassed
            ? $"AWS rehearsal passed: {steps.Count} steps held."
            : $"AWS rehearsal FAILED: {steps.Failed} of {steps.Count} steps did not hold.");
        return steps.AllPassed;
    }

    private static readonly string[] StepNames =
    [
        "data imported",
        "three recipes trained, gated and promoted",
        "POST /recommendations served by the campaign of variant",
        "a second training that promotes is served within the cache TTL",
        "an event posted to the API reaches the campaign's real-time state through the consumer",
        "with the local Personalize stopped, the in-house fallback answers within the budget",
    ];

    /// <summary>moto_server and what the stacks create in it, the sample in S3, the local Personalize, the default experiment, the API process.</summary>
    private async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        _moto = await MotoServerProcess.StartAsync(cancellationToken);
        _aws = new MotoAws(_moto.Endpoint);
        _deployment = await MotoResources.CreateAsync(_aws, cancellationToken);

        // The sample, at the same s3:// locations for both readers: the local Personalize's S3 folder and the bucket on moto.
        var sample = Path.Combine(S3Root, _deployment.Bucket, SampleFolder);
        SyntheticDataGenerator.Generate(options.Sample, sample);
        using (var s3 = _aws.Clients.S3())
        {
            foreach (var file in new[] { DatasetFiles.Interactions, DatasetFiles.Items, DatasetFiles.Users })
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = _deployment.Bucket, Key = $"{SampleFolder}/{file}", FilePath = Path.Combine(sample, file) }, cancellationToken);
            }
        }
        var firstInteraction = File.ReadLines(Path.Combine(sample, DatasetFiles.Interactions)).Skip(1).First().Split(',');
        (_user, _seedItem) = (firstInteraction[0], firstInteraction[1]);

        _personalize = await PersonalizeServer.StartAsync(new LocalPersonalizeOptions
        {
            DataDirectory = Path.Combine(_work.FullName, "personalize"),
            S3Root = S3Root,
            Lifecycle = LifecycleMode.Immediate,
        }, cancellationToken: cancellationToken);
        _training = new RehearsalTraining(_aws, _deployment, _personalize.Personalize);

        using (var dynamo = _aws.Clients.DynamoDb())
        {
            await new DynamoDbExperimentStore(dynamo, _deployment.Tables).UpsertAsync(DefaultExperiment.Create(DateTimeOffset.UtcNow), cancellationToken);
        }

        var environment = new Dictionary<string, string>(_aws.Environment);
        foreach (var (name, value) in _deployment.ApiEnvironment()) environment[name] = value;
        environment[Pipeline.Adapters.Aws.Personalize.PersonalizeCampaignModels.RuntimeEndpointSetting] = PersonalizeEndpoint;
        environment["Serving__RefreshSeconds"] = options.CacheSeconds.ToString(CultureInfo.InvariantCulture);
        environment["Serving__BudgetMilliseconds"] = options.BudgetMilliseconds.ToString(CultureInfo.InvariantCulture);
        environment["InHouseModels__RefreshSeconds"] = options.CacheSeconds.ToString(CultureInfo.InvariantCulture);
        _apiProcess = await FunctionProcess.StartAsync(environment, cancellationToken);
        _api = new ApiClient(_apiProcess.BaseAddress);
        return $"moto_server {_moto.Endpoint} (7 tables, bucket, events queue, alert topic, ModelPromoted rule), local Personalize {_personalize.Endpoint}, " +
            $"API process (PIPELINE_MODE=aws, PIPELINE_ROLE=api) {_apiProcess.BaseAddress}, default experiment in {_deployment.Tables.Experiments}, in {watch.Elapsed.TotalSeconds:0.0} s";
    }

    private string PersonalizeEndpoint => _personalize!.Endpoint.ToString().TrimEnd('/');

    /// <summary>The nightly rule's input (training-schedule.json) plus the first import of the sample, as a first deployment runs it.</summary>
    private JsonObject FirstTrainingInput()
    {
        var input = TrainingScheduleDefinition.Load().Input.DeepClone().AsObject();
        input["import"] = new JsonObject
        {
            ["interactions"] = $"s3://{_deployment.Bucket}/{SampleFolder}/{DatasetFiles.Interactions}",
            ["items"] = $"s3://{_deployment.Bucket}/{SampleFolder}/{DatasetFiles.Items}",
            ["users"] = $"s3://{_deployment.Bucket}/{SampleFolder}/{DatasetFiles.Users}",
        };
        return input;
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_consumerProcess is not null) await _consumerProcess.DisposeAsync();
        if (_apiProcess is not null) await _apiProcess.DisposeAsync();
        if (_personalize is not null) await _personalize.DisposeAsync();
        if (_moto is not null) await _moto.DisposeAsync();
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder rather than failing the run.
        }
    }
}
