using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests;

[Collection(SynthCollection.Name)]
public sealed class LeastPrivilegeTests(SynthFixture synth)
{
    /// <summary>Every identity policy in the templates: AWS::IAM::Policy, AWS::IAM::ManagedPolicy and roles' inline Policies.</summary>
    private IEnumerable<(string Where, JsonNode Statement)> Statements()
    {
        foreach (var (stack, id, resource) in synth.AllResources())
        {
            var type = (string?)resource["Type"];
            var props = resource["Properties"];
            var documents = type switch
            {
                "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy" => [props!["PolicyDocument"]!],
                "AWS::IAM::Role" => props!["Policies"]?.AsArray().Select(p => p!["PolicyDocument"]!) ?? [],
                _ => Enumerable.Empty<JsonNode>(),
            };
            foreach (var doc in documents)
            {
                foreach (var statement in doc["Statement"]!.AsArray())
                {
                    yield return ($"{stack}/{id}", statement!);
                }
            }
        }
    }

    private static IEnumerable<string> Actions(JsonNode statement) =>
        (statement["Action"] ?? statement["NotAction"]) switch
        {
            JsonArray a => a.Select(x => (string)x!),
            JsonValue v => [(string)v!],
            _ => [],
        };

    [Fact]
    public void There_are_policies_to_check()
    {
        Assert.True(Statements().Count() >= 10);
    }

    [Fact]
    public void No_allow_statement_grants_all_actions_or_all_actions_of_a_service()
    {
        var offenders = Statements()
            .Where(s => (string?)s.Statement["Effect"] == "Allow")
            .SelectMany(s => Actions(s.Statement).Select(a => (s.Where, Action: a)))
            .Where(x => x.Action == "*" || x.Action.EndsWith(":*", StringComparison.Ordinal))
            .Select(x => $"{x.Where}: {x.Action}")
            .ToList();
        Assert.True(offenders.Count == 0, "wildcard actions: " + string.Join(", ", offenders));
    }

    [Fact]
    public void No_allow_statement_uses_NotAction()
    {
        Assert.DoesNotContain(Statements(), s => s.Statement["NotAction"] is not null && (string?)s.Statement["Effect"] == "Allow");
    }

    [Fact]
    public void Resource_star_only_where_the_service_has_no_resource_level_permissions()
    {
        // X-Ray trace writes/sampling and CloudWatch Logs vended delivery (Step Functions logging) cannot be scoped, nor
        // can Personalize's List* actions (no resource type in the Service Authorization Reference; the teardown lists).
        string[] unscopable = ["personalize:ListCampaigns", "personalize:ListDatasets", "personalize:ListEventTrackers", "personalize:ListFilters", "personalize:ListSolutions",
            "personalize:ListRecommenders", "personalize:ListMetricAttributions", "xray:", "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"];
        var offenders = Statements()
            .Where(s => (string?)s.Statement["Effect"] == "Allow" && s.Statement["Resource"] is JsonValue r && (string?)r == "*")
            .SelectMany(s => Actions(s.Statement).Select(a => (s.Where, Action: a)))
            .Where(x => !unscopable.Any(u => x.Action.StartsWith(u, StringComparison.Ordinal)))
            .Select(x => $"{x.Where}: {x.Action}")
            .ToList();
        Assert.True(offenders.Count == 0, "actions on Resource *: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_in_house_trainer_reads_only_the_import_prefix_and_the_manifest_and_writes_only_the_models_prefix()
    {
        var resources = synth.ServiceJson["Resources"]!.AsObject();
        var trainer = resources.Single(r => (string?)r.Value!["Type"] == "AWS::Lambda::Function" && r.Key.StartsWith("InHouseTrainerFunction", StringComparison.Ordinal)).Value!;
        var role = (string)trainer["Properties"]!["Role"]!["Fn::GetAtt"]![0]!;
        var statements = resources
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy" && r.Value!["Properties"]!["Roles"]!.AsArray().Any(x => (string?)x!["Ref"] == role))
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(x => x!)
            .ToList();
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
        var objectReads = data.Where(st => Actions(st).Contains("s3:GetObject*")).SelectMany(ResourcesOf).Where(r => r.Contains("\"/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, objectReads.Count);
        Assert.Contains(objectReads, r => r.EndsWith("\"/training/*\"]]}", StringComparison.Ordinal));
        Assert.Contains(objectReads, r => r.EndsWith("\"/models/manifest.json\"]]}", StringComparison.Ordinal));
        Assert.Equal("in-house-trainer", (string?)trainer["Properties"]!["Environment"]!["Variables"]!["PIPELINE_ROLE"]);
    }
}
