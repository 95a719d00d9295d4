using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Pipeline.Infra;

namespace Pipeline.Testing.Cdk;

/// <summary>
/// Synthesizes the app once for the whole suite: every CDK call goes through a Node (jsii) process,
/// and a synth of both stacks costs seconds. The context is cdk.json's (feature flags included), so the
/// tests see what `npx cdk synth` produces, plus an alert email to cover the optional subscription.
/// </summary>
public sealed class SynthFixture : IDisposable
{
    public const string AlertEmail = "alerts@example.com";

    public string RepoRoot { get; }
    public string OutDir { get; }
    public TimeSpan SynthDuration { get; }
    public PipelineApp.Stacks Stacks { get; }
    public Template DataTemplate { get; }
    public Template ServiceTemplate { get; }
    public JsonObject DataJson { get; }
    public JsonObject ServiceJson { get; }
    public string DataTemplatePath { get; }
    public string ServiceTemplatePath { get; }

    public SynthFixture()
    {
        var watch = Stopwatch.StartNew();
        RepoRoot = Pipeline.Infra.RepoRoot.Find();
        OutDir = Path.Combine(Path.GetTempPath(), "pipeline-infra-tests-" + Guid.NewGuid().ToString("N"));
        var context = CdkJsonContext(RepoRoot);
        context["alertEmail"] = AlertEmail;
        var app = new App(new AppProps { Context = context, Outdir = OutDir });
        Stacks = PipelineApp.Build(app, RepoRoot);
        var assembly = app.Synth();
        DataTemplate = Template.FromStack(Stacks.Data);
        ServiceTemplate = Template.FromStack(Stacks.Service);
        DataTemplatePath = assembly.GetStackByName(Stacks.Data.StackName).TemplateFullPath;
        ServiceTemplatePath = assembly.GetStackByName(Stacks.Service.StackName).TemplateFullPath;
        DataJson = JsonNode.Parse(File.ReadAllText(DataTemplatePath))!.AsObject();
        ServiceJson = JsonNode.Parse(File.ReadAllText(ServiceTemplatePath))!.AsObject();
        SynthDuration = watch.Elapsed;
    }

    public IEnumerable<(string Stack, string LogicalId, JsonObject Resource)> AllResources() =>
        new[] { ("data", DataJson), ("service", ServiceJson) }
            .SelectMany(t => t.Item2["Resources"]!.AsObject().Select(r => (t.Item1, r.Key, r.Value!.AsObject())));

    public static Dictionary<string, object> CdkJsonContext(string repoRoot)
    {
        var cdkJson = JsonNode.Parse(File.ReadAllText(Path.Combine(repoRoot, "cdk.json")))!;
        return cdkJson["context"]!.AsObject().ToDictionary(kv => kv.Key, kv => ToClr(kv.Value));
    }

    private static object ToClr(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(ToClr).ToArray(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToString(),
        _ => throw new NotSupportedException($"context value {node?.ToJsonString()}"),
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(OutDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>
/// The collection of every test that reads the synth. xunit reads collection definitions only from the test assembly
/// itself, so each test project declares one, deriving from this: <c>[CollectionDefinition(SynthCollection.Name)] public
/// sealed class SynthCollectionDefinition : SynthCollection;</c>.
/// </summary>
public abstract class SynthCollection : ICollectionFixture<SynthFixture>
{
    // jsii talks to one Node process per test process; keeping all CDK tests in one collection runs them sequentially.
    public const string Name = "synth";
}
