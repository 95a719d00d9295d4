using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Testing.Cdk;

/// <summary>One statement of a policy in the templates, where it was found and what kind of policy holds it.</summary>
public sealed record PolicyStatementAt(string Where, string Kind, JsonObject Statement)
{
    public bool Allows => (string?)Statement["Effect"] == "Allow";

    public IReadOnlyList<string> Actions => PolicyDocuments.Strings(Statement["Action"]);

    /// <summary>The service principal, if the statement names one (Principal may also be "*" or an AWS principal).</summary>
    public string? Service => Statement["Principal"] is JsonObject principal && principal["Service"] is JsonValue service ? (string?)service : null;

    /// <summary>Resources as strings, CloudFormation expressions resolved as in <see cref="PolicyDocuments.Resolve"/>.</summary>
    public IReadOnlyList<string> Resources => PolicyDocuments.Values(Statement["Resource"]).Select(PolicyDocuments.Resolve).ToList();

    /// <summary>Whether the statement allows <paramref name="action"/> on <paramref name="resource"/> (IAM's * and ? wildcards).</summary>
    public bool Grants(string action, string resource) =>
        Allows && Actions.Any(a => PolicyDocuments.Matches(a, action)) && Resources.Any(r => PolicyDocuments.Matches(r, resource));
}

/// <summary>
/// Every policy document of the synthesized templates: identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy,
/// roles' inline Policies), roles' trust policies, resource policies (S3 bucket, SNS topic, SQS queue, CloudWatch Logs)
/// and Lambda permissions (one statement each: Action, Principal, SourceArn).
/// </summary>
public static partial class PolicyDocuments
{
    public const string Partition = "aws";
    public const string Region = "us-east-1";
    public const string Account = "123456789012";

    public static IEnumerable<PolicyStatementAt> All(SynthFixture synth)
    {
        foreach (var (stack, id, resource) in synth.AllResources())
        {
            var where = $"{stack}/{id}";
            var props = resource["Properties"];
            var documents = (string?)resource["Type"] switch
            {
                "AWS::IAM::Policy" or "AWS::IAM::ManagedPolicy" => [("identity", props!["PolicyDocument"])],
                "AWS::IAM::Role" => [("trust", props!["AssumeRolePolicyDocument"]), .. (props["Policies"]?.AsArray() ?? []).Select(p => ("identity", p!["PolicyDocument"]))],
                "AWS::S3::BucketPolicy" or "AWS::SNS::TopicPolicy" or "AWS::SQS::QueuePolicy" => [("resource", props!["PolicyDocument"])],
                "AWS::Logs::ResourcePolicy" => [("resource", JsonNode.Parse((string)props!["PolicyDocument"]!))],
                _ => Array.Empty<(string, JsonNode?)>(),
            };
            foreach (var (kind, document) in documents)
            {
                foreach (var statement in document!["Statement"]!.AsArray())
                {
                    yield return new PolicyStatementAt(where, kind, statement!.AsObject());
                }
            }
            if ((string?)resource["Type"] == "AWS::Lambda::Permission")
            {
                yield return new PolicyStatementAt(where, "lambda-permission", new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Action"] = props!["Action"]!.DeepClone(),
                    ["Principal"] = props["Principal"]!.DeepClone(),
                    ["Resource"] = props["FunctionName"]!.DeepClone(),
                });
            }
        }
    }

    public static IReadOnlyList<JsonNode> Values(JsonNode? node) => node switch
    {
        JsonArray a => [.. a.Select(x => x!)],
        null => [],
        _ => [node],
    };

    public static IReadOnlyList<string> Strings(JsonNode? node) => [.. Values(node).Select(v => (string)v!)];

    /// <summary>
    /// A CloudFormation value as text: Fn::Join joined, the pseudo parameters (AWS::Partition, AWS::Region, AWS::AccountId)
    /// replaced by <see cref="Partition"/>, <see cref="Region"/> and <see cref="Account"/>, and any other reference written
    /// <c>{Ref:Id}</c> / <c>{GetAtt:Id.Attr}</c> / <c>{Import:…}</c> (a name the test cannot know, never a wildcard).
    /// </summary>
    public static string Resolve(JsonNode? node) => node switch
    {
        JsonValue v => (string)v!,
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string)join[0]!, join[1]!.AsArray().Select(Resolve)),
        JsonObject o when o["Ref"] is JsonValue r => (string)r! switch
        {
            "AWS::Partition" => Partition,
            "AWS::Region" => Region,
            "AWS::AccountId" => Account,
            "AWS::URLSuffix" => "amazonaws.com",
            var id => $"{{Ref:{id}}}",
        },
        JsonObject o when o["Fn::GetAtt"] is JsonArray att => $"{{GetAtt:{string.Join('.', att.Select(a => (string)a!))}}}",
        JsonObject o when o["Fn::ImportValue"] is not null => $"{{Import:{o["Fn::ImportValue"]!.ToJsonString()}}}",
        _ => node?.ToJsonString() ?? "",
    };

    /// <summary>IAM's matching: * any run of characters, ? one character, case-sensitive for ARNs, case-insensitive for actions.</summary>
    public static bool Matches(string pattern, string value)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        var ignoreCase = !value.StartsWith("arn:", StringComparison.Ordinal);
        return Regex.IsMatch(value, regex, ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
    }
}
