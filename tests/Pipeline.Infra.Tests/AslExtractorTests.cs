using System.Text.Json.Nodes;
using Pipeline.Workflows.Definitions;

namespace Pipeline.Infra.Tests;

public sealed class AslExtractorTests
{
    private static JsonNode N(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void Joins_literals_and_resolves_pseudo_parameters_and_refs()
    {
        var value = N("""{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":sns:",{"Ref":"AWS::Region"},":x:",{"Ref":"Topic1"},"/",{"Fn::GetAtt":["Fn1","Arn"]}]]}""");
        Assert.Equal("arn:aws:sns:us-east-1:x:${Ref:Topic1}/${GetAtt:Fn1.Arn}", AslExtractor.Resolve(value));
    }

    [Fact]
    public void Uses_given_placeholders()
    {
        var value = N("""{"Fn::Join":["-",[{"Ref":"Topic1"},{"Ref":"AWS::AccountId"},{"Fn::ImportValue":"x:y"}]]}""");
        var placeholders = new Dictionary<string, string> { ["Ref:Topic1"] = "t", ["AWS::AccountId"] = "123", ["Import:x:y"] = "i" };
        Assert.Equal("t-123-i", AslExtractor.Resolve(value, placeholders));
    }

    [Fact]
    public void Resolves_sub()
    {
        var value = N("""{"Fn::Sub":"arn:${AWS::Partition}:states:::${Fn.Arn}/${Queue}/${!Literal}"}""");
        Assert.Equal("arn:aws:states:::${GetAtt:Fn.Arn}/${Ref:Queue}/${Literal}", AslExtractor.Resolve(value));
    }

    [Fact]
    public void Extracts_each_state_machine_of_a_template()
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
    public void Rejects_unsupported_intrinsics()
    {
        Assert.Throws<NotSupportedException>(() => AslExtractor.Resolve(N("""{"Fn::If":["c","a","b"]}""")));
    }
}
