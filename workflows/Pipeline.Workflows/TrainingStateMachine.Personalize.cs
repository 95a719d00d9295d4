using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.StepFunctions;
using Amazon.CDK.AWS.StepFunctions.Tasks;

namespace Pipeline.Workflows;

/// <summary>Personalize AWS-SDK service integrations (no glue Lambda), each scoped to the ARNs of its resource types.</summary>
public sealed partial class TrainingStateMachine
{
    private string Arn(string resource, string name) =>
        _stack.FormatArn(new ArnComponents { Service = "personalize", Resource = resource, ResourceName = name });

    /// <summary>A States.Format template for the ARN of a named resource, e.g. <c>arn:aws:personalize:REGION:ACCOUNT:solution/{}</c>.</summary>
    private string ArnTemplate(string resource, string nameTemplate) => Arn(resource, nameTemplate);

    private CallAwsService Personalize(string id, string action, Dictionary<string, object> parameters, string resources,
        Dictionary<string, object>? resultSelector, string resultPath, PolicyStatement[]? additional = null) =>
        new(this, id, new CallAwsServiceProps
        {
            Service = "personalize",
            Action = action,
            IamAction = "personalize:" + char.ToUpperInvariant(action[0]) + action[1..],
            Parameters = parameters,
            IamResources = resources.Split(',').SelectMany(r => _resources[r]).ToArray(),
            ResultSelector = resultSelector,
            ResultPath = resultPath,
            AdditionalIamStatements = additional,
        });

    private static Dictionary<string, object> StatusOf(string member) => new()
    {
        ["status"] = JsonPath.StringAt($"$.{member}.Status"),
        ["resource"] = JsonPath.StringAt($"$.{member}"),
    };
}
