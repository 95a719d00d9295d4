using Pipeline.StatesLanguage.CloudFormation;
using Pipeline.StatesLanguage.Definition;

namespace Pipeline.StatesLanguage.Tests.CloudFormation;

public class CloudFormationDefinitionsTests
{
    // The shape `cdk synth` writes: DefinitionString as Fn::Join over string pieces and Ref / Fn::GetAtt tokens.
    private const string Template = """
        {
          "Resources": {
            "AlertsTopic1234": { "Type": "AWS::SNS::Topic" },
            "RunsTable5678": { "Type": "AWS::DynamoDB::Table" },
            "TrainingStateMachineABCD": {
              "Type": "AWS::StepFunctions::StateMachine",
              "Properties": {
                "DefinitionString": { "Fn::Join": [ "", [
                  "{\"StartAt\":\"Notify\",\"States\":{\"Notify\":{\"Type\":\"Task\",\"Resource\":\"arn:",
                  { "Ref": "AWS::Partition" },
                  ":states:::sns:publish\",\"Parameters\":{\"TopicArn\":\"",
                  { "Ref": "AlertsTopic1234" },
                  "\",\"Message\":\"",
                  { "Fn::GetAtt": [ "RunsTable5678", "Arn" ] },
                  "\"},\"End\":true}}}"
                ] ] }
              }
            }
          }
        }
        """;

    [Fact]
    public void Fn_Join_with_Ref_and_GetAtt_resolves_to_runnable_ASL_with_deterministic_fake_arns()
    {
        var asl = CloudFormationDefinitions.ResolveDefinition(Template, "TrainingStateMachineABCD");

        Assert.Equal(
            """{"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:topic/AlertsTopic1234","Message":"arn:aws:dynamodb:us-east-1:123456789012:table/RunsTable5678"},"End":true}}}""",
            asl);
        Assert.IsType<TaskState>(StateMachineDefinition.Parse(asl).States["Notify"]);
    }

    [Fact]
    public void Caller_supplied_tokens_replace_the_fakes()
    {
        var asl = CloudFormationDefinitions.ResolveDefinition(Template, "TrainingStateMachineABCD", new Dictionary<string, string>
        {
            ["AlertsTopic1234"] = "arn:aws:sns:eu-west-1:111111111111:alerts",
            ["RunsTable5678.Arn"] = "local-runs",
        });

        Assert.Contains("\"TopicArn\":\"arn:aws:sns:eu-west-1:111111111111:alerts\"", asl, StringComparison.Ordinal);
        Assert.Contains("\"Message\":\"local-runs\"", asl, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_string_definition_with_substitutions_resolves()
    {
        const string template = """
            { "Resources": { "Fn": { "Type": "AWS::Lambda::Function" }, "Sm": { "Type": "AWS::StepFunctions::StateMachine", "Properties": {
                "DefinitionString": "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":\"${fn}\",\"End\":true}}}",
                "DefinitionSubstitutions": { "fn": { "Fn::GetAtt": ["Fn", "Arn"] } } } } } }
            """;

        Assert.Contains("arn:aws:lambda:us-east-1:123456789012:function:Fn", CloudFormationDefinitions.ResolveDefinition(template, "Sm"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_logical_id_lists_the_state_machines_there_are()
    {
        var error = Assert.Throws<ArgumentException>(() => CloudFormationDefinitions.ResolveDefinition(Template, "Nope"));

        Assert.Contains("Its state machines are: TrainingStateMachineABCD.", error.Message, StringComparison.Ordinal);
    }
}
