using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra;

/// <summary>
/// A function's grants spelled out: the actions named on the resources named, where CDK's Grant* methods would add
/// actions the function never calls.
/// </summary>
internal static class RolePolicies
{
    public static void Allow(this IFunction function, string[] actions, params string[] resources) =>
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
}
