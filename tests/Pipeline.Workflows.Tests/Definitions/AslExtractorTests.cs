using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Definition;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Workflows.Tests.Definitions;

public sealed class AslExtractorTests
{
    private static JsonNode N(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void Resolve_JoinsLiteralsAndResolvesPseudoParametersAndRefs()
    {
        var value = N("""{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":sns:",{"Ref":"AWS::Region"},":x:",{"Ref":"Topic1"},"/",{"Fn::GetAtt":["Fn1","Arn"]}]]}""");
        Assert.Equal("arn:aws:sns:us-east-1:x:${Ref:Topic1}/${GetAtt:Fn1.Arn}", AslExtractor.Resolve(value));
    }

    [Fact]
    public void Resolve_UsesGivenPlaceholders()
    {
        var value = N("""{"Fn::Join":["-",[{"Ref":"Topic1"},{"Ref":"AWS::AccountId"},{"Fn::ImportValue":"x:y"}]]}""");
        var placeholders = new Dictionary<string, string> { ["Ref:Topic1"] = "t", ["AWS::AccountId"] = "123", ["Import:x:y"] = "i" };
        Assert.Equal("t-123-i", AslExtractor.Resolve(value, placeholders));
    }

    [Fact]
    public void Resolve_ResolvesSub()
    {
        var value = N("""{"Fn::Sub":"arn:${AWS::Partition}:states:::${Fn.Arn}/${Queue}/${!Literal}"}""");
        Assert.Equal("arn:aws:states:::${GetAtt:Fn.Arn}/${Ref:Queue}/${Literal}", AslExtractor.Resolve(value));
    }

    [Fact]
    public void Extract_FindsEachStateMachineOfATemplate()
    {
        var template = N("""
        {"Resources":{
          "Other":{"Type":"AWS::SNS::Topic"},
          "Machine1":{"Type":"AWS::StepFunctions::StateMachine","Properties":{
            "DefinitionString":{"Fn::Join":["",["{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:",{"Ref":"AWS::Partition"},":states:::sns:publish\",\"End\":true}}}"]]}}}}}
        """);
        var asl = AslExtractor.Extract(template, "Machine");
        Assert.Equal("arn:aws:states:::sns:publish", (string?)asl["States"]!["A"]!["Resource"]);
        Assert.Single(AslExtractor.ExtractAll(template));
        Assert.Throws<InvalidOperationException>(() => AslExtractor.Extract(template, "Nope"));
    }

    [Fact]
    public void Resolve_RejectsUnsupportedIntrinsics()
    {
        Assert.Throws<NotSupportedException>(() => AslExtractor.Resolve(N("""{"Fn::If":["c","a","b"]}""")));
    }

    // From the former CloudFormationDefinitions tests (Pipeline.StatesLanguage), on the one resolver left (#19).
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
    public void FnJoin_WithRefAndGetAtt_ResolvesToRunnableASLWithStablePlaceholders()
    {
        var asl = AslExtractor.Extract(N(Template), "TrainingStateMachineABCD").ToJsonString();

        Assert.Equal(
            """{"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"${Ref:AlertsTopic1234}","Message":"${GetAtt:RunsTable5678.Arn}"},"End":true}}}""",
            asl);
        Assert.IsType<TaskState>(StateMachineDefinition.Parse(asl).States["Notify"]);
    }

    [Fact]
    public void CallerSuppliedPlaceholders_ReplaceTheDefaults()
    {
        var asl = AslExtractor.Extract(N(Template), "TrainingStateMachineABCD", new Dictionary<string, string>
        {
            ["Ref:AlertsTopic1234"] = "arn:aws:sns:eu-west-1:111111111111:alerts",
            ["GetAtt:RunsTable5678.Arn"] = "local-runs",
        }).ToJsonString();

        Assert.Contains("\"TopicArn\":\"arn:aws:sns:eu-west-1:111111111111:alerts\"", asl, StringComparison.Ordinal);
        Assert.Contains("\"Message\":\"local-runs\"", asl, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainStringDefinition_WithSubstitutions_Resolves()
    {
        var template = N("""
            { "Resources": { "Fn": { "Type": "AWS::Lambda::Function" }, "Sm": { "Type": "AWS::StepFunctions::StateMachine", "Properties": {
                "DefinitionString": "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":\"${fn}\",\"End\":true}}}",
                "DefinitionSubstitutions": { "fn": { "Fn::GetAtt": ["Fn", "Arn"] } } } } } }
            """);

        Assert.Equal("${GetAtt:Fn.Arn}", (string?)AslExtractor.Extract(template, "Sm")["States"]!["A"]!["Result"]);
        var placeholders = new Dictionary<string, string> { ["GetAtt:Fn.Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:Fn" };
        Assert.Contains("arn:aws:lambda:us-east-1:123456789012:function:Fn", AslExtractor.Extract(template, "Sm", placeholders).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownLogicalId_ListsTheStateMachinesThereAre()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AslExtractor.Extract(N(Template), "Nope"));

        Assert.Contains("the template's state machines are: TrainingStateMachineABCD", error.Message, StringComparison.Ordinal);
    }
}
