using System.IO.Compression;
using System.Text.Json.Nodes;
using Pipeline.Cli.Rehearsal;

namespace Pipeline.Infra.Tests.Moto;

/// <summary>
/// Deploys the synthesized stacks into a moto_server of its own as <c>cdk deploy</c> would, but with the real AWS CLI:
/// the bootstrap version parameter in SSM, the file assets (the Lambda zip, the templates) in the bootstrap bucket,
/// then <c>aws cloudformation create-stack</c> for the data stack and, once it is complete, the service stack (which
/// imports the data stack's exports). Done once per test class; every test reads the result with the CLI.
/// </summary>
public sealed class MotoDeployment : IAsyncLifetime
{
    /// <summary>moto's default account.</summary>
    public const string Account = "123456789012";

    private static readonly TimeSpan StackTimeout = TimeSpan.FromMinutes(3);
    private readonly MotoServer _moto = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Deployed? _deployed;

    public AwsCli Cli { get; private set; } = null!;

    /// <summary>The moto_server the stacks are deployed in, for SDK clients and processes pointed at it.</summary>
    public Uri Endpoint => _moto.Endpoint;

    public sealed record DeployedStack(string Name, string Status, JsonObject Template,
        IReadOnlyList<(string LogicalId, string Type)> Removed, IReadOnlyDictionary<string, string> PhysicalIds,
        IReadOnlyDictionary<string, string> ResourceStatuses, IReadOnlyDictionary<string, string> Outputs);

    public sealed record Deployed(DeployedStack Data, DeployedStack Service);

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        Cli = new AwsCli(_moto.Endpoint, MotoAws.AccessKey);
    }

    public Task DisposeAsync() => _moto.DisposeAsync();

    public async Task<Deployed> DeployAsync(SynthFixture synth)
    {
        await _gate.WaitAsync();
        try
        {
            return _deployed ??= await DeployOnceAsync(synth);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Deployed> DeployOnceAsync(SynthFixture synth)
    {
        // The template's BootstrapVersion parameter is an SSM parameter type that CloudFormation resolves.
        await Cli.RunAsync("ssm", "put-parameter", "--name", "/cdk-bootstrap/hnb659fds/version", "--value", "21", "--type", "String");
        var bucket = await PublishAssetsAsync(synth.OutDir);
        var data = await CreateStackAsync(synth.Stacks.Data.StackName, synth.DataJson, bucket);
        var service = await CreateStackAsync(synth.Stacks.Service.StackName, synth.ServiceJson, bucket);
        return new Deployed(data, service);
    }

    /// <summary>What <c>cdk deploy</c>'s asset publishing does: every file asset of the cloud assembly, zipped if it is a folder.</summary>
    private async Task<string> PublishAssetsAsync(string outDir)
    {
        string? bootstrapBucket = null;
        var buckets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var manifest in Directory.GetFiles(outDir, "*.assets.json"))
        {
            var files = JsonNode.Parse(await File.ReadAllTextAsync(manifest))!["files"]!.AsObject();
            foreach (var (_, asset) in files)
            {
                var source = asset!["source"]!;
                var path = Path.Combine(outDir, (string)source["path"]!);
                foreach (var (_, destination) in asset["destinations"]!.AsObject())
                {
                    var bucketName = Substitute((string)destination!["bucketName"]!);
                    var key = Substitute((string)destination["objectKey"]!);
                    if (buckets.Add(bucketName))
                    {
                        await Cli.RunAsync("s3api", "create-bucket", "--bucket", bucketName);
                    }
                    bootstrapBucket ??= bucketName;
                    var upload = path;
                    if ((string?)source["packaging"] == "zip")
                    {
                        upload = Path.Combine(Path.GetTempPath(), $"asset-{Guid.NewGuid():N}.zip");
                        ZipFile.CreateFromDirectory(path, upload);
                    }
                    try
                    {
                        await Cli.RunAsync("s3", "cp", upload, $"s3://{bucketName}/{key}", "--only-show-errors");
                    }
                    finally
                    {
                        if (upload != path)
                        {
                            File.Delete(upload);
                        }
                    }
                }
            }
        }
        return bootstrapBucket ?? throw new InvalidOperationException($"no file assets in {outDir}");
    }

    private static string Substitute(string value) =>
        value.Replace("${AWS::AccountId}", Account, StringComparison.Ordinal)
            .Replace("${AWS::Region}", MotoServer.Region, StringComparison.Ordinal)
            .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal);

    private async Task<DeployedStack> CreateStackAsync(string name, JsonObject synthesized, string bucket)
    {
        var moto = MotoTemplate.ForMoto(synthesized);
        // The service template is above CreateStack's 51,200-byte TemplateBody limit, so it goes by URL, as CDK does.
        var file = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.moto.template.json");
        await File.WriteAllTextAsync(file, moto.Template.ToJsonString());
        try
        {
            var key = $"moto-templates/{name}.template.json";
            await Cli.RunAsync("s3", "cp", file, $"s3://{bucket}/{key}", "--only-show-errors");
            await Cli.RunAsync("cloudformation", "create-stack", "--stack-name", name,
                "--template-url", $"https://{bucket}.s3.amazonaws.com/{key}",
                "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        }
        finally
        {
            File.Delete(file);
        }

        var deadline = DateTime.UtcNow + StackTimeout;
        JsonNode stack;
        while (true)
        {
            stack = (await Cli.RunAsync("cloudformation", "describe-stacks", "--stack-name", name))!["Stacks"]![0]!;
            var status = (string)stack["StackStatus"]!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(500);
        }

        var resources = (await Cli.RunAsync("cloudformation", "list-stack-resources", "--stack-name", name))!["StackResourceSummaries"]!.AsArray();
        var outputs = (stack["Outputs"]?.AsArray() ?? [])
            .ToDictionary(o => (string)o!["OutputKey"]!, o => (string)o!["OutputValue"]!, StringComparer.Ordinal);
        return new DeployedStack(name, (string)stack["StackStatus"]!, moto.Template, moto.Removed,
            resources.ToDictionary(r => (string)r!["LogicalResourceId"]!, r => (string)r!["PhysicalResourceId"]!, StringComparer.Ordinal),
            resources.ToDictionary(r => (string)r!["LogicalResourceId"]!, r => (string)r!["ResourceStatus"]!, StringComparer.Ordinal),
            outputs);
    }
}
