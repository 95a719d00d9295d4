using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.WAFv2;
using Constructs;

namespace Pipeline.Infra;

/// <summary>
/// The optional AWS WAF in front of the API stage (<c>-c enableWaf=true</c>): AWS's managed common rule set plus a
/// per-IP rate rule. Off by default because a web ACL costs $5 a month plus $1 per rule and $0.60 per million requests.
/// </summary>
public static class ApiFirewall
{
    public static CfnWebACL Protect(Construct scope, PipelineConfig config, Stage stage)
    {
        static CfnWebACL.VisibilityConfigProperty Visibility(string name) => new()
        {
            CloudWatchMetricsEnabled = true,
            SampledRequestsEnabled = true,
            MetricName = name,
        };
        var acl = new CfnWebACL(scope, "WebAcl", new CfnWebACLProps
        {
            Name = $"{config.ProjectName}-api",
            Scope = "REGIONAL",
            DefaultAction = new CfnWebACL.DefaultActionProperty { Allow = new CfnWebACL.AllowActionProperty() },
            VisibilityConfig = Visibility($"{config.ProjectName}-api"),
            Rules = new object[]
            {
                new CfnWebACL.RuleProperty
                {
                    Name = "RatePerIp",
                    Priority = 0,
                    Action = new CfnWebACL.RuleActionProperty { Block = new CfnWebACL.BlockActionProperty() },
                    Statement = new CfnWebACL.StatementProperty
                    {
                        RateBasedStatement = new CfnWebACL.RateBasedStatementProperty { Limit = config.WafRateLimitPer5Minutes, AggregateKeyType = "IP" },
                    },
                    VisibilityConfig = Visibility("RatePerIp"),
                },
                new CfnWebACL.RuleProperty
                {
                    Name = "AwsCommonRules",
                    Priority = 1,
                    OverrideAction = new CfnWebACL.OverrideActionProperty { None = new Dictionary<string, object>() },
                    Statement = new CfnWebACL.StatementProperty
                    {
                        ManagedRuleGroupStatement = new CfnWebACL.ManagedRuleGroupStatementProperty { VendorName = "AWS", Name = "AWSManagedRulesCommonRuleSet" },
                    },
                    VisibilityConfig = Visibility("AwsCommonRules"),
                },
            },
        });
        new CfnWebACLAssociation(scope, "WebAclAssociation", new CfnWebACLAssociationProps
        {
            ResourceArn = stage.StageArn,
            WebAclArn = acl.AttrArn,
        });
        return acl;
    }
}
