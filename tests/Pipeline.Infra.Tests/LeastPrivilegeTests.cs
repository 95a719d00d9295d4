using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests;

/// <summary>
/// Every policy in both templates (<see cref="PolicyDocuments.All"/>: identity policies, roles' trust policies, bucket,
/// topic, queue and log resource policies, Lambda permissions), checked statement by statement. README, "What the
/// least-privilege test checks", says the same in prose.
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class LeastPrivilegeTests(SynthFixture synth)
{
    /// <summary>
    /// Actions granted on Resource "*": the Service Authorization Reference lists no resource type for them, so "*" is the
    /// only value IAM accepts. Each entry is exact (no prefix, no wildcard).
    /// </summary>
    private static readonly HashSet<string> UnscopableActions = new(StringComparer.Ordinal)
    {
        // Personalize's List* calls (the teardown and the training's data check list by dataset group / dataset).
        "personalize:ListCampaigns", "personalize:ListDatasets", "personalize:ListEventTrackers", "personalize:ListFilters",
        "personalize:ListSolutions", "personalize:ListRecommenders", "personalize:ListMetricAttributions",
        "personalize:ListDatasetImportJobs",
        // X-Ray (Lambda active tracing, state machine tracing).
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
        // CloudWatch Logs vended delivery (Step Functions logging).
        "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    };

    /// <summary>Wildcard actions an Allow statement may carry: none. (A Deny may: EnforceSSL denies sqs:* / s3:* without TLS.)</summary>
    private static readonly HashSet<string> AllowedWildcardActions = new(StringComparer.Ordinal);

    private IReadOnlyList<PolicyStatementAt> Statements() => [.. PolicyDocuments.All(synth)];

    private static bool IsStar(JsonNode? resource) => PolicyDocuments.Values(resource).Any(r => r is JsonValue v && (string?)v == "*");

    [Fact]
    public void EveryKindOfPolicy_IsWalked()
    {
        var kinds = Statements().GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Count());

        Assert.True(kinds.GetValueOrDefault("identity") >= 10, string.Join(", ", kinds));
        Assert.True(kinds.GetValueOrDefault("trust") >= 5, string.Join(", ", kinds));
        // Bucket (TLS + Personalize), topic (TLS, EventBridge, CloudWatch), queues (TLS).
        Assert.True(kinds.GetValueOrDefault("resource") >= 6, string.Join(", ", kinds));
        // API Gateway invoking the API function, per method.
        Assert.True(kinds.GetValueOrDefault("lambda-permission") >= 2, string.Join(", ", kinds));
    }

    [Fact]
    public void NoAllowStatement_HasAWildcardAction()
    {
        var offenders = Statements().Where(s => s.Allows)
            .SelectMany(s => s.Actions.Select(a => (s.Where, Action: a)))
            .Where(x => (x.Action.Contains('*') || x.Action.Contains('?')) && !AllowedWildcardActions.Contains(x.Action))
            .Select(x => $"{x.Where}: {x.Action}")
            .ToList();

        Assert.True(offenders.Count == 0, "wildcard actions: " + string.Join(", ", offenders));
    }

    [Fact]
    public void NoAllowStatement_UsesNotActionNotResourceOrNotPrincipal()
    {
        Assert.DoesNotContain(Statements(), s => s.Allows && (s.Statement["NotAction"] ?? s.Statement["NotResource"] ?? s.Statement["NotPrincipal"]) is not null);
    }

    [Fact]
    public void ResourceStar_AloneOrInAnArray_IsOnlyForActionsWithoutResourceLevelPermissions()
    {
        var offenders = Statements()
            .Where(s => s.Allows && IsStar(s.Statement["Resource"]))
            .SelectMany(s => s.Actions.Select(a => (s.Where, Action: a)))
            .Where(x => !UnscopableActions.Contains(x.Action))
            .Select(x => $"{x.Where}: {x.Action}")
            .ToList();

        Assert.True(offenders.Count == 0, "actions on Resource *: " + string.Join(", ", offenders));
    }

    [Fact]
    public void InHouseTrainer_ReadsOnlyTheImportPrefixAndTheManifestAndWritesOnlyTheModelsPrefix()
    {
        var resources = synth.ServiceJson["Resources"]!.AsObject();
        var trainer = resources.Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("InHouseTrainerFunction", StringComparison.Ordinal)).Value!;
        var role = (string)trainer["Properties"]!["Role"]!["Fn::GetAtt"]![0]!;
        var statements = resources
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == role))
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => x!)
            .ToList();
        static IReadOnlyList<string> Actions(JsonNode statement) => PolicyDocuments.Strings(statement["Action"]);
        static IEnumerable<string> ResourcesOf(JsonNode statement) => statement["Resource"] switch
        {
            JsonArray a => a.Select(x => x!.ToJsonString()),
            var one => [one!.ToJsonString()],
        };

        var data = statements.Where(st => !Actions(st).All(a => a.StartsWith("xray:", StringComparison.Ordinal))).ToList();
        Assert.All(data.SelectMany(Actions), a => Assert.StartsWith("s3:", a, StringComparison.Ordinal));
        var writes = data.Where(st => Actions(st).Any(a => a.StartsWith("s3:Put", StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes.SelectMany(ResourcesOf), r => Assert.EndsWith("\"/models/*\"]]}", r, StringComparison.Ordinal));
        var objectReads = data.Where(st => Actions(st).Contains("s3:GetObject")).SelectMany(ResourcesOf).Where(r => r.Contains("\"/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, objectReads.Count);
        Assert.Contains(objectReads, r => r.EndsWith("\"/training/*\"]]}", StringComparison.Ordinal));
        Assert.Contains(objectReads, r => r.EndsWith("\"/models/manifest.json\"]]}", StringComparison.Ordinal));
        Assert.Equal("in-house-trainer", (string?)trainer["Properties"]!["Environment"]!["Variables"]!["PIPELINE_ROLE"]);
    }

    [Fact]
    public void OnlineGate_GetsAndPutsOnlyExperimentsAndQueriesOnlyTheAggregates()
    {
        var resources = synth.ServiceJson["Resources"]!.AsObject();
        var gate = resources.Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("OnlineGateFunction", StringComparison.Ordinal)).Value!;
        var role = (string)gate["Properties"]!["Role"]!["Fn::GetAtt"]![0]!;
        var statements = resources
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == role))
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => x!)
            .Where(st => !PolicyDocuments.Strings(st["Action"]).All(a => a.StartsWith("xray:", StringComparison.Ordinal)))
            .ToList();
        // Each statement's resource is one table's ARN (Fn::ImportValue or GetAtt of the data stack's table).
        var byActions = statements.ToDictionary(
            st => string.Join(",", PolicyDocuments.Strings(st["Action"]).Order(StringComparer.Ordinal)),
            st => st["Resource"]!.ToJsonString());

        Assert.Equal(["dynamodb:GetItem,dynamodb:PutItem", "dynamodb:Query"], byActions.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("Experiments", byActions["dynamodb:GetItem,dynamodb:PutItem"], StringComparison.Ordinal);
        Assert.Contains("Aggregates", byActions["dynamodb:Query"], StringComparison.Ordinal);
        var variables = gate["Properties"]!["Environment"]!["Variables"]!;
        Assert.Equal("online-gate", (string?)variables["PIPELINE_ROLE"]);
        Assert.Equal("/internal/online-gate", (string?)variables["AWS_LWA_PASS_THROUGH_PATH"]);
        Assert.Null(variables["PIPELINE_ASSIGNMENTS_TABLE"]);
    }

    [Fact]
    public void ResourcePoliciesAndLambdaPermissions_NameTheirPrincipals()
    {
        static bool Anyone(JsonNode? principal) => principal switch
        {
            JsonValue v => (string?)v == "*",
            JsonObject o => o["AWS"] is { } aws && PolicyDocuments.Values(aws).Any(a => a is JsonValue v && (string?)v == "*"),
            _ => false,
        };

        var offenders = Statements().Where(s => s.Allows && s.Kind is "resource" or "lambda-permission" && Anyone(s.Statement["Principal"]))
            .Select(s => s.Where).ToList();

        Assert.True(offenders.Count == 0, "allow to any principal: " + string.Join(", ", offenders));
    }

    [Fact]
    public void ServicePrincipals_AllowedOnResourcePolicies_AreBoundToThisAccountOrToASource()
    {
        // A service principal acting for anyone is the confused deputy: each Allow to a service names the account or the
        // source (a condition), except the Lambda permissions, whose SourceArn property does that.
        var offenders = Statements()
            .Where(s => s.Allows && s.Kind == "resource" && s.Service is not null
                && s.Statement["Condition"] is null)
            .Select(s => s.Where).ToList();

        Assert.True(offenders.Count == 0, "service principals without conditions: " + string.Join(", ", offenders));
    }
}
