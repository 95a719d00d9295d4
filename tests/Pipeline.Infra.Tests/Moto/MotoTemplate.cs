using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Moto;

/// <summary>
/// Makes a synthesized template creatable by moto_server's CloudFormation. moto 5.2.1 has no CloudFormation model for
/// the types in <see cref="UnsupportedTypes"/>: it skips such a resource (logging "No Moto CloudFormation support"),
/// and then fails the whole CreateStack with a template error as soon as another resource or an output uses a
/// <c>Fn::GetAtt</c> of it (here the dashboard's alarm widget). So those resources are removed, every Ref/GetAtt of
/// one becomes the string <c>moto-unsupported:&lt;logical id&gt;</c> and DependsOn entries naming one are dropped.
/// Everything else is created as synthesized.
/// </summary>
public static class MotoTemplate
{
    public const string UnsupportedMarker = "moto-unsupported:";

    /// <summary>
    /// Found by creating the stacks on moto_server 5.2.1: its log names each skipped type, except
    /// AWS::SNS::Subscription and AWS::Logs::MetricFilter, which it accepts but does not create (the stack lists them
    /// without a logical id; ListSubscriptions stays empty).
    /// </summary>
    public static readonly IReadOnlySet<string> UnsupportedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::CDK::Metadata",
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",
        "AWS::Logs::MetricFilter",
        "AWS::CloudWatch::Alarm",
        "AWS::ApiGateway::Account",
        "AWS::ApiGateway::ApiKey",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::UsagePlan",
        "AWS::ApiGateway::UsagePlanKey",
    };

    public sealed record Result(JsonObject Template, IReadOnlyList<(string LogicalId, string Type)> Removed);

    public static Result ForMoto(JsonObject synthesized)
    {
        var template = synthesized.DeepClone().AsObject();
        var resources = template["Resources"]!.AsObject();
        var removed = resources
            .Where(r => UnsupportedTypes.Contains((string)r.Value!["Type"]!))
            .Select(r => (r.Key, (string)r.Value!["Type"]!))
            .ToList();
        var removedIds = removed.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var id in removedIds)
        {
            resources.Remove(id);
        }
        foreach (var (_, resource) in resources.ToList())
        {
            var body = resource!.AsObject();
            foreach (var key in body.Select(p => p.Key).ToList())
            {
                body[key] = Replace(body[key], removedIds);
            }
            DropDependencies(body, removedIds);
        }
        if (template["Outputs"] is { } outputs)
        {
            template["Outputs"] = Replace(outputs, removedIds);
        }
        return new Result(template, removed);
    }

    private static JsonNode? Replace(JsonNode? node, IReadOnlySet<string> removed)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 1 && o.First() is var (key, value):
                var target = key switch
                {
                    "Ref" => (string?)value,
                    "Fn::GetAtt" when value is JsonArray a => (string?)a[0],
                    "Fn::GetAtt" => ((string?)value)?.Split('.')[0],
                    _ => null,
                };
                if (target is not null && removed.Contains(target))
                {
                    return JsonValue.Create(UnsupportedMarker + target);
                }
                return new JsonObject { [key] = Replace(value?.DeepClone(), removed) };
            case JsonObject o:
                return new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Replace(p.Value?.DeepClone(), removed))));
            case JsonArray a:
                return new JsonArray([.. a.Select(item => Replace(item?.DeepClone(), removed))]);
            default:
                return node?.DeepClone();
        }
    }

    private static void DropDependencies(JsonObject resource, IReadOnlySet<string> removed)
    {
        var kept = resource["DependsOn"] switch
        {
            JsonArray a => a.Select(d => (string)d!).Where(d => !removed.Contains(d)).ToList(),
            JsonValue v => ((string)v!) is var d && !removed.Contains(d) ? [d] : [],
            _ => null,
        };
        if (kept is null)
        {
            return;
        }
        if (kept.Count == 0)
        {
            resource.Remove("DependsOn");
        }
        else
        {
            resource["DependsOn"] = new JsonArray([.. kept.Select(d => JsonValue.Create(d))]);
        }
    }
}
