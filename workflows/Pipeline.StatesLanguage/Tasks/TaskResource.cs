using System.Text.RegularExpressions;

namespace Pipeline.StatesLanguage.Tasks;

/// <summary>
/// A Task state's Resource ARN taken apart the way Step Functions reports it in history:
/// `arn:aws:states:::aws-sdk:personalize:createSolutionVersion` is resource type `aws-sdk:personalize`, resource
/// `createSolutionVersion`; `arn:aws:states:::lambda:invoke.waitForTaskToken` is type `lambda`, resource `invoke`,
/// integration pattern `waitForTaskToken`.
/// </summary>
public sealed partial record TaskResource(string Arn, string ResourceType, string ResourceName, string Service, string Action, string? IntegrationPattern)
{
    public bool WaitsForTaskToken => IntegrationPattern == "waitForTaskToken";

    public static TaskResource Parse(string arn)
    {
        var sdk = AwsSdkIntegration().Match(arn);
        if (sdk.Success)
        {
            var service = sdk.Groups["service"].Value;
            return new(arn, $"aws-sdk:{service}", sdk.Groups["action"].Value, service, sdk.Groups["action"].Value, Pattern(sdk));
        }
        var optimized = OptimizedIntegration().Match(arn);
        if (optimized.Success)
        {
            var service = optimized.Groups["service"].Value;
            var action = optimized.Groups["action"].Value;
            return new(arn, service, action, service, action, Pattern(optimized));
        }
        var lambda = LambdaFunction().Match(arn);
        if (lambda.Success)
        {
            return new(arn, "lambda", arn, "lambda", "invoke", null);
        }
        var activity = Activity().Match(arn);
        return activity.Success
            ? new(arn, "activity", arn, "activity", "getActivityTask", null)
            : new(arn, "unknown", arn, "unknown", "unknown", null);
    }

    private static string? Pattern(Match match) => match.Groups["pattern"].Success ? match.Groups["pattern"].Value : null;

    [GeneratedRegex(@"^arn:[\w-]+:states:::aws-sdk:(?<service>[\w-]+):(?<action>[\w]+)(\.(?<pattern>sync(:2)?|waitForTaskToken))?$")]
    private static partial Regex AwsSdkIntegration();

    [GeneratedRegex(@"^arn:[\w-]+:states:::(?<service>[\w-]+):(?<action>[\w]+)(\.(?<pattern>sync(:2)?|waitForTaskToken))?$")]
    private static partial Regex OptimizedIntegration();

    [GeneratedRegex(@"^arn:[\w-]+:lambda:[\w-]+:\d+:function:[\w-]+(:[\w$-]+)?$")]
    private static partial Regex LambdaFunction();

    [GeneratedRegex(@"^arn:[\w-]+:states:[\w-]+:\d+:activity:.+$")]
    private static partial Regex Activity();
}
