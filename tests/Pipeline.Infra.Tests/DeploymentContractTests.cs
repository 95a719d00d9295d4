using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Pipeline.Adapters.Aws.S3;
using Pipeline.Api.Hosting;
using Pipeline.DeploymentContract;
using Pipeline.Personalize.Local.ControlPlane;

namespace Pipeline.Infra.Tests;

/// <summary>
/// The deployment contract (lambdas/Pipeline.DeploymentContract) seen from both sides: what the synthesized functions get
/// is what the package reads when it starts as each of them, and the Personalize schemas are what the local Personalize
/// accepts and what the event archive writes.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class DeploymentContractTests(SynthFixture synth)
{
    /// <summary>What Lambda itself gives every function, and what points the SDK clients away from AWS (no call is made).</summary>
    private static readonly Dictionary<string, string?> LambdaRuntime = new()
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
    };

    public static TheoryData<string> Roles => new(PipelineRoles.All);

    private List<Dictionary<string, JsonNode?>> FunctionEnvironments() =>
        synth.AllResources()
            .Where(r => (string?)r.Resource["Type"] == "AWS::Lambda::Function")
            .Select(r => r.Resource["Properties"]!["Environment"]!["Variables"]!.AsObject().ToDictionary(v => v.Key, v => v.Value))
            .ToList();

    [Fact]
    public void Functions_GetOnlyTheContractsVariablesAndEachOfThemIsSet()
    {
        var set = FunctionEnvironments().SelectMany(e => e.Keys).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(set.Except(EnvironmentVariables.All));
        // The tracking id is set only when the deployment names a tracker (DeploymentParametersTests); cdk.json names none.
        Assert.Empty(EnvironmentVariables.All.Except(set).Except([EnvironmentVariables.PersonalizeTrackingId]));
    }

    /// <summary>
    /// Each function's environment, as CloudFormation will resolve it, given to the package's own HostSettings and
    /// RoleComposition: the role starts (no refusal), every variable the infra sets is read (the Web Adapter's aside), and
    /// the Web Adapter's readiness and pass-through paths are routes of the composed app.
    /// </summary>
    [Theory]
    [MemberData(nameof(Roles))]
    public async Task EachFunction_StartsAsItsRoleAndReadsEveryVariableItIsGiven(string role)
    {
        var variables = Assert.Single(FunctionEnvironments(), e => (string?)e[EnvironmentVariables.Role] == role);
        var environment = variables.ToDictionary(v => v.Key, v => (string?)Resolved(v.Value));
        var configuration = new RecordingSource(new Dictionary<string, string?>(LambdaRuntime.Concat(environment)));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HostSettings).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        ((IConfigurationBuilder)builder.Configuration).Add(configuration);

        var settings = HostSettings.Bind(builder.Configuration);
        Assert.Empty(settings.Problems);
        Assert.Equal(role, settings.Role);
        await using var app = builder.ComposeRole(settings);

        var unread = environment.Keys.Except(EnvironmentVariables.WebAdapterVariables).Except(configuration.Read, StringComparer.OrdinalIgnoreCase);
        Assert.Empty(unread);
        var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains($"GET {environment[EnvironmentVariables.ReadinessCheckPath]}", routes);
        if (environment.TryGetValue(EnvironmentVariables.PassThroughPath, out var passThrough))
        {
            Assert.Contains($"POST {passThrough}", routes);
        }
    }

    [Theory]
    [InlineData("Interactions")]
    [InlineData("Items")]
    [InlineData("Users")]
    public void PersonalizeSchemas_AreRecordsTheLocalPersonalizeAcceptsForTheirDatasetType(string datasetType)
    {
        var json = PersonalizeSchemas.ByDatasetType[datasetType];

        // CreateSchema's check, then CreateDataset's: the fields the dataset type requires.
        var schema = AvroSchema.Parse(json);
        Assert.All(DatasetTypes.RequiredFields[DatasetTypes.Normalize(datasetType)], field => Assert.True(schema.Has(field), $"{datasetType} lacks {field}"));
        var record = JsonNode.Parse(json)!;
        Assert.Equal(datasetType, (string?)record["name"]);
        Assert.Equal("com.amazonaws.personalize.schema", (string?)record["namespace"]);
        Assert.Equal(schema.Fields.Count, schema.Fields.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void PersonalizeSchemas_CoverEveryDatasetTypeTheLocalPersonalizeImports()
    {
        Assert.Equal(DatasetTypes.RequiredFields.Keys.Order(StringComparer.Ordinal),
            PersonalizeSchemas.ByDatasetType.Keys.Select(DatasetTypes.Normalize).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EventArchive_WritesTheInteractionsSchemasColumnsInItsOrder()
    {
        // Import jobs read the archive (DataBucketPrefixes.Events) into the Interactions dataset.
        var fields = AvroSchema.Parse(PersonalizeSchemas.Interactions).Fields.Select(f => f.Name);
        Assert.Equal(S3EventArchive.Header, string.Join(',', fields));
    }

    /// <summary>A variable as the function sees it: a literal as written, a CloudFormation reference as some resolved name.</summary>
    private static string Resolved(JsonNode? value) =>
        value is JsonValue literal && literal.GetValueKind() == JsonValueKind.String ? literal.GetValue<string>() : "resolved-by-cloudformation";

    /// <summary>The function's environment as a configuration source that remembers every key the package asks for.</summary>
    private sealed class RecordingSource(Dictionary<string, string?> values) : IConfigurationSource
    {
        private readonly Dictionary<string, string?> _values = values;
        private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyCollection<string> Read
        {
            get
            {
                lock (_read) return [.. _read];
            }
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

        private sealed class Provider(RecordingSource source) : ConfigurationProvider
        {
            public override void Load() => Data = new Dictionary<string, string?>(source._values, StringComparer.OrdinalIgnoreCase);

            public override bool TryGet(string key, out string? value)
            {
                lock (source._read) source._read.Add(key);
                return base.TryGet(key, out value);
            }
        }
    }
}
