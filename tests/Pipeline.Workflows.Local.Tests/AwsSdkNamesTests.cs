using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Local.Tests;

public sealed class AwsSdkNamesTests
{
    [Fact]
    public void ToCamelCase_RenamesMembersRecursively_AndKeepsValues()
    {
        var converted = AwsSdkNames.ToCamelCase(JsonNode.Parse("""
            {"SolutionArn":"arn:x","DataSource":{"DataLocation":"s3://b/K"},"Items":[{"ItemId":"A"}],"N":1,"S3DataDestination":{"Path":"p"}}
            """));

        Assert.Equal("""{"solutionArn":"arn:x","dataSource":{"dataLocation":"s3://b/K"},"items":[{"itemId":"A"}],"n":1,"s3DataDestination":{"path":"p"}}""", converted!.ToJsonString());
    }

    [Fact]
    public void ToPascalCase_KeepsTheKeysOfMapMembers()
    {
        var converted = AwsSdkNames.ToPascalCase(JsonNode.Parse("""
            {"solutionVersionArn":"v","metrics":{"precision_at_25":0.5},"solutionConfig":{"algorithmHyperParameters":{"hidden_dimension":"64"}}}
            """));

        Assert.Equal("""{"SolutionVersionArn":"v","Metrics":{"precision_at_25":0.5},"SolutionConfig":{"AlgorithmHyperParameters":{"hidden_dimension":"64"}}}""", converted!.ToJsonString());
    }
}
