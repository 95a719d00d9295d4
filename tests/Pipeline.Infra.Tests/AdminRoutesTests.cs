using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests;

/// <summary>On AWS the admin routes take IAM authorization: the client's API key does not reach them.</summary>
[Collection(SynthCollection.Name)]
public sealed class AdminRoutesTests(SynthFixture synth)
{
    private JsonObject Resources => synth.ServiceJson["Resources"]!.AsObject();

    /// <summary>The path of an API Gateway resource, from its PathPart up to the root.</summary>
    private string PathOf(JsonNode? resourceId)
    {
        if (resourceId?["Fn::GetAtt"] is not null)
        {
            return ""; // the RestApi's RootResourceId
        }
        var id = (string)resourceId!["Ref"]!;
        var props = Resources[id]!["Properties"]!;
        return PathOf(props["ParentId"]) + "/" + (string)props["PathPart"]!;
    }

    private List<(string Path, string Method, string Authorization, bool KeyRequired)> Methods() =>
        [.. Resources.Where(r => (string?)r.Value!["Type"] == "AWS::ApiGateway::Method").Select(r => r.Value!["Properties"]!)
            .Select(p => (PathOf(p["ResourceId"]) is { Length: > 0 } path ? path : "/", (string)p["HttpMethod"]!,
                (string?)p["AuthorizationType"] ?? "NONE", (bool?)p["ApiKeyRequired"] ?? false))];

    [Fact]
    public void AdminRoutes_NeedIamAuthorization()
    {
        var methods = Methods();

        foreach (var (path, method) in ApiConstruct.AdminRoutes)
        {
            var found = Assert.Single(methods, m => m.Path == path && m.Method == method);
            Assert.Equal("AWS_IAM", found.Authorization);
        }
        Assert.Contains(methods, m => m.Path == "/experiments/{proxy+}" && m.Authorization == "AWS_IAM");
        Assert.Contains(methods, m => m.Path == "/users/{proxy+}" && m.Authorization == "AWS_IAM");
    }

    [Fact]
    public void EveryOtherRouteButHealth_NeedsTheClientKey()
    {
        var others = Methods().Where(m => m.Authorization != "AWS_IAM").ToList();

        Assert.Contains(others, m => m.Path == "/items/{proxy+}" && m.KeyRequired); // GET /items/{id}, /similar
        Assert.Contains(others, m => m.Path == "/{proxy+}" && m.KeyRequired);
        Assert.Equal(["/health"], others.Where(m => !m.KeyRequired).Select(m => m.Path));
    }

    [Fact]
    public void AdminPolicy_GrantsInvokeOnTheAdminRoutesOnly()
    {
        var policy = Assert.Single(PolicyDocuments.All(synth), s => s.Where.StartsWith("service/ApiAdminAccess", StringComparison.Ordinal));

        Assert.Equal(["execute-api:Invoke"], policy.Actions);
        var api = "arn:aws:execute-api:us-east-1:123456789012:{Ref:" + Resources.Single(r => (string?)r.Value!["Type"] == "AWS::ApiGateway::RestApi").Key + "}/v1";
        Assert.True(policy.Grants("execute-api:Invoke", api + "/POST/experiments"), string.Join(", ", policy.Resources));
        Assert.True(policy.Grants("execute-api:Invoke", api + "/PUT/items"));
        Assert.True(policy.Grants("execute-api:Invoke", api + "/GET/users/u-1"));
        Assert.False(policy.Grants("execute-api:Invoke", api + "/POST/recommendations"));
    }
}
