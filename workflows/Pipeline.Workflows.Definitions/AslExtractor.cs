using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Definitions;

/// <summary>
/// Gets the Amazon States Language definition of a state machine out of a synthesized CloudFormation
/// template. CDK renders DefinitionString as an Fn::Join over literal pieces and tokens (Ref, Fn::GetAtt,
/// pseudo parameters), or as a plain string with DefinitionSubstitutions; this resolves the tokens to placeholders so the
/// local interpreter runs exactly the definition that would be deployed. The one CloudFormation-token resolver of the
/// repository.
/// </summary>
public static class AslExtractor
{
    /// <summary>Values used for pseudo parameters when none are given.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultPseudoParameters = new Dictionary<string, string>
    {
        ["AWS::Partition"] = "aws",
        ["AWS::Region"] = "us-east-1",
        ["AWS::AccountId"] = "000000000000",
        ["AWS::URLSuffix"] = "amazonaws.com",
        ["AWS::StackName"] = "local",
    };

    /// <summary>The ASL of every AWS::StepFunctions::StateMachine in the template, keyed by logical id.</summary>
    public static IReadOnlyDictionary<string, JsonObject> ExtractAll(JsonNode template, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var result = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var resources = template["Resources"]?.AsObject() ?? throw new ArgumentException("template has no Resources");
        foreach (var (logicalId, resource) in resources)
        {
            if ((string?)resource?["Type"] != "AWS::StepFunctions::StateMachine")
            {
                continue;
            }
            var properties = resource!["Properties"];
            var text = properties?["Definition"] is JsonObject inline ? inline.ToJsonString()
                : properties?["DefinitionString"] is { } definition ? Resolve(definition, placeholders)
                : throw new InvalidOperationException($"{logicalId} has neither DefinitionString nor Definition (DefinitionS3Location is not supported)");
            // DefinitionSubstitutions: ${name} in the definition becomes the (resolved) value given for name.
            foreach (var (name, substitution) in properties?["DefinitionSubstitutions"]?.AsObject() ?? [])
            {
                text = text.Replace("${" + name + "}", Resolve(substitution, placeholders), StringComparison.Ordinal);
            }
            result[logicalId] = JsonNode.Parse(text)?.AsObject()
                ?? throw new InvalidOperationException($"{logicalId}: definition is not a JSON object");
        }
        return result;
    }

    /// <summary>The ASL of the single state machine whose logical id starts with <paramref name="logicalIdPrefix"/>.</summary>
    public static JsonObject Extract(JsonNode template, string logicalIdPrefix, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var matches = ExtractAll(template, placeholders).Where(kv => kv.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal)).ToList();
        return matches.Count == 1
            ? matches[0].Value
            : throw new InvalidOperationException($"expected one state machine with logical id prefix '{logicalIdPrefix}', found {matches.Count}; "
                + $"the template's state machines are: {string.Join(", ", StateMachineLogicalIds(template))}");
    }

    /// <summary>The logical ids of the template's AWS::StepFunctions::StateMachine resources.</summary>
    public static IReadOnlyList<string> StateMachineLogicalIds(JsonNode template) =>
        (template["Resources"]?.AsObject() ?? [])
            .Where(r => (string?)r.Value?["Type"] == "AWS::StepFunctions::StateMachine")
            .Select(r => r.Key)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Resolves a CloudFormation value to a string. Placeholders are looked up as
    /// <c>AWS::Region</c>, <c>Ref:LogicalId</c>, <c>GetAtt:LogicalId.Attribute</c>, <c>Import:Name</c>;
    /// a missing one becomes <c>${Ref:LogicalId}</c> (etc.), which is visible and stable.
    /// </summary>
    public static string Resolve(JsonNode? value, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        switch (value)
        {
            case null:
                throw new InvalidOperationException("null in a CloudFormation string expression");
            case JsonValue v:
                return Convert.ToString(v.GetValue<object>(), CultureInfo.InvariantCulture) ?? "";
            case JsonObject o when o.Count == 1:
                var (fn, arg) = o.First();
                return fn switch
                {
                    "Ref" => Lookup(RefKey((string)arg!), placeholders),
                    "Fn::GetAtt" => Lookup("GetAtt:" + GetAttName(arg!), placeholders),
                    "Fn::ImportValue" => Lookup("Import:" + Resolve(arg, placeholders), placeholders),
                    "Fn::Join" => Join(arg!.AsArray(), placeholders),
                    "Fn::Sub" when arg is JsonValue => Sub((string)arg!, placeholders),
                    _ => throw new NotSupportedException($"{fn} is not supported in a definition string"),
                };
            default:
                throw new NotSupportedException($"unexpected CloudFormation value: {value.ToJsonString()}");
        }
    }

    private static string Join(JsonArray arg, IReadOnlyDictionary<string, string>? placeholders)
    {
        var separator = (string)arg[0]!;
        return string.Join(separator, arg[1]!.AsArray().Select(part => Resolve(part, placeholders)));
    }

    private static string Sub(string template, IReadOnlyDictionary<string, string>? placeholders)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            var end = template.IndexOf('}', start);
            sb.Append(template, i, start - i);
            var name = template[(start + 2)..end];
            sb.Append(name.StartsWith('!') ? "${" + name[1..] + "}"
                : name.Contains("::", StringComparison.Ordinal) ? Lookup(name, placeholders)
                : name.Contains('.', StringComparison.Ordinal) ? Lookup("GetAtt:" + name, placeholders)
                : Lookup(RefKey(name), placeholders));
            i = end + 1;
        }
        return sb.ToString();
    }

    private static string GetAttName(JsonNode arg) =>
        arg is JsonArray a ? $"{(string)a[0]!}.{(string)a[1]!}" : (string)arg!;

    private static string Lookup(string key, IReadOnlyDictionary<string, string>? placeholders)
    {
        if (placeholders is not null && placeholders.TryGetValue(key, out var value))
        {
            return value;
        }
        if (DefaultPseudoParameters.TryGetValue(key, out var pseudo))
        {
            return pseudo;
        }
        return "${" + key + "}";
    }

    private static string RefKey(string name) =>
        name.StartsWith("AWS::", StringComparison.Ordinal) ? name : "Ref:" + name;
}
