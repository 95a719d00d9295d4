using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.CloudFormation;

/// <summary>
/// Recovers the ASL that `cdk synth` wrote into a template, so the very definition deployed to AWS is what runs
/// locally. CDK emits DefinitionString as a string or as `Fn::Join` of strings and `Ref` / `Fn::GetAtt` tokens.
/// </summary>
public static partial class CloudFormationDefinitions
{
    /// <summary>
    /// The ASL JSON of the state machine <paramref name="logicalId"/>. <paramref name="tokens"/> gives values for
    /// `Ref` (key: the logical id, or a pseudo parameter such as AWS::Region) and `Fn::GetAtt` (key: "LogicalId.Attribute");
    /// tokens not given resolve to deterministic fake ARNs built from the logical id.
    /// </summary>
    public static string ResolveDefinition(string templateJson, string logicalId, IReadOnlyDictionary<string, string>? tokens = null, string region = "us-east-1", string accountId = "123456789012")
    {
        var template = JsonNode.Parse(templateJson) as JsonObject ?? throw new ArgumentException("The template is not a JSON object.", nameof(templateJson));
        var resources = template["Resources"] as JsonObject ?? throw new ArgumentException("The template has no Resources.", nameof(templateJson));
        if (resources[logicalId] is not JsonObject stateMachine)
        {
            var machines = StateMachineLogicalIds(templateJson);
            throw new ArgumentException($"The template has no resource '{logicalId}'. Its state machines are: {string.Join(", ", machines)}.", nameof(logicalId));
        }
        var type = stateMachine["Type"]?.ToString();
        if (type != "AWS::StepFunctions::StateMachine")
        {
            throw new ArgumentException($"The resource '{logicalId}' is a {type}, not an AWS::StepFunctions::StateMachine.", nameof(logicalId));
        }
        var properties = stateMachine["Properties"] as JsonObject ?? new JsonObject();
        var resolver = new TokenResolver(resources, tokens ?? new Dictionary<string, string>(), region, accountId);
        string definition;
        if (properties["Definition"] is JsonObject inline)
        {
            definition = inline.ToJsonString();
        }
        else if (properties["DefinitionString"] is { } definitionString)
        {
            definition = resolver.Resolve(definitionString);
        }
        else
        {
            throw new ArgumentException($"The state machine '{logicalId}' has neither DefinitionString nor Definition (DefinitionS3Location is not supported).", nameof(logicalId));
        }
        if (properties["DefinitionSubstitutions"] is JsonObject substitutions)
        {
            foreach (var (key, value) in substitutions)
            {
                definition = definition.Replace("${" + key + "}", resolver.Resolve(value), StringComparison.Ordinal);
            }
        }
        return definition;
    }

    public static IReadOnlyList<string> StateMachineLogicalIds(string templateJson) =>
        (JsonNode.Parse(templateJson)?["Resources"] as JsonObject ?? [])
            .Where(pair => pair.Value?["Type"]?.ToString() == "AWS::StepFunctions::StateMachine")
            .Select(pair => pair.Key)
            .ToList();

    private sealed class TokenResolver(JsonObject resources, IReadOnlyDictionary<string, string> tokens, string region, string accountId)
    {
        public string Resolve(JsonNode? node)
        {
            if (JsonValues.TryGetString(node, out var text))
            {
                return text;
            }
            if (node is not JsonObject { Count: 1 } function)
            {
                throw new NotSupportedException($"Cannot resolve the CloudFormation value {JsonValues.ToJson(node)}.");
            }
            var (name, argument) = function.First();
            return name switch
            {
                "Fn::Join" => Join(argument),
                "Ref" => Ref(argument!.ToString()),
                "Fn::GetAtt" => GetAtt(argument),
                "Fn::Sub" when JsonValues.TryGetString(argument, out var pattern) => Sub(pattern),
                _ => throw new NotSupportedException($"The CloudFormation function '{name}' is not supported in a state machine definition."),
            };
        }

        private string Join(JsonNode? argument)
        {
            if (argument is not JsonArray { Count: 2 } join || join[1] is not JsonArray parts)
            {
                throw new NotSupportedException($"Malformed Fn::Join: {JsonValues.ToJson(argument)}");
            }
            var separator = join[0]?.ToString() ?? "";
            return string.Join(separator, parts.Select(Resolve));
        }

        private string Ref(string logicalId) => tokens.TryGetValue(logicalId, out var value) ? value : logicalId switch
        {
            "AWS::Region" => region,
            "AWS::AccountId" => accountId,
            "AWS::Partition" => "aws",
            "AWS::URLSuffix" => "amazonaws.com",
            "AWS::StackName" => "LocalStack",
            _ => FakeArn(logicalId),
        };

        private string GetAtt(JsonNode? argument)
        {
            string logicalId, attribute;
            if (argument is JsonArray { Count: 2 } pair)
            {
                (logicalId, attribute) = (pair[0]!.ToString(), pair[1]!.ToString());
            }
            else if (JsonValues.TryGetString(argument, out var dotted) && dotted.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            {
                (logicalId, attribute) = (dotted[..dot], dotted[(dot + 1)..]);
            }
            else
            {
                throw new NotSupportedException($"Malformed Fn::GetAtt: {JsonValues.ToJson(argument)}");
            }
            return tokens.TryGetValue($"{logicalId}.{attribute}", out var value) ? value
                : attribute == "Arn" ? FakeArn(logicalId)
                : $"{logicalId}.{attribute}";
        }

        private string Sub(string pattern) => SubVariable().Replace(pattern, match =>
        {
            var variable = match.Groups[1].Value;
            var dot = variable.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && !variable.StartsWith("AWS::", StringComparison.Ordinal)
                ? GetAtt(JsonValue.Create(variable))
                : Ref(variable);
        });

        /// <summary>arn:aws:{service}:{region}:{account}:{resource-type}/{logicalId}, from the resource's CloudFormation type.</summary>
        private string FakeArn(string logicalId)
        {
            var type = resources[logicalId]?["Type"]?.ToString();
            if (type is null)
            {
                throw new ArgumentException($"Ref/GetAtt names '{logicalId}', which is neither a resource of the template nor a supplied token.");
            }
            // Where CloudFormation's ARN uses a colon, keep it, so e.g. lambda:invoke can find the function by name.
            switch (type)
            {
                case "AWS::Lambda::Function":
                    return $"arn:aws:lambda:{region}:{accountId}:function:{logicalId}";
                case "AWS::StepFunctions::StateMachine":
                    return $"arn:aws:states:{region}:{accountId}:stateMachine:{logicalId}";
            }
            var parts = type.Split("::");
            var service = parts.Length > 1 ? parts[1].ToLowerInvariant() : "local";
            var kind = parts.Length > 2 ? ToKebab(parts[2]) : "resource";
            return $"arn:aws:{service}:{region}:{accountId}:{kind}/{logicalId}";
        }

        private static string ToKebab(string name)
        {
            var builder = new StringBuilder();
            foreach (var c in name)
            {
                if (char.IsUpper(c) && builder.Length > 0)
                {
                    builder.Append('-');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            return builder.ToString();
        }
    }

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubVariable();
}
