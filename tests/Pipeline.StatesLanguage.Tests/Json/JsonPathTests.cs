using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Tests.Json;

public class JsonPathTests
{
    // The reference-path example of the "Input and Output Processing" docs page.
    private static readonly JsonNode Input = JsonNode.Parse("""{"foo": 123, "bar": ["a", "b", "c"], "car": {"cdr": true}}""")!;

    [Theory]
    [InlineData("$.foo", "123")]
    [InlineData("$.bar", """["a","b","c"]""")]
    [InlineData("$.car.cdr", "true")]
    [InlineData("$.bar[1]", "\"b\"")]
    [InlineData("$['car']['cdr']", "true")]
    [InlineData("$", """{"foo":123,"bar":["a","b","c"],"car":{"cdr":true}}""")]
    public void ReferencePaths_SelectOneNode(string path, string expected)
    {
        Assert.True(JsonPath.Parse(path).TrySelect(Input, null, out var value));
        Assert.Equal(expected, value!.ToJsonString());
        Assert.True(JsonPath.Parse(path).IsReferencePath);
    }

    [Fact]
    public void ReferencePath_ThatMatchesNothing_IsNotFound()
    {
        Assert.False(JsonPath.Parse("$.missing.deeper").TrySelect(Input, null, out _));
        Assert.False(JsonPath.Parse("$.bar[7]").TrySelect(Input, null, out _));
    }

    [Fact]
    public void Slice_SelectsAListAsInTheDocs()
    {
        var input = JsonNode.Parse("""{ "a": [1, 2, 3, 4] }""");
        Assert.True(JsonPath.Parse("$.a[0:2]").TrySelect(input, null, out var value));
        Assert.Equal("[1,2]", value!.ToJsonString());
    }

    [Theory]
    [InlineData("$.items[*].id", "[1,2,3]")]
    [InlineData("$.items[?(@.price < 10)].id", "[1,3]")]
    [InlineData("$.items[?(@.tag == 'sale')].id", "[2]")]
    [InlineData("$.items[?(@.tag)].id", "[2]")]
    [InlineData("$.items[?(@.price >= 5 && @.price < 10)].id", "[3]")]
    [InlineData("$..id", "[1,2,3]")]
    [InlineData("$.items[0,2].id", "[1,3]")]
    [InlineData("$.items[-1:].id", "[3]")]
    public void WildcardsFiltersUnionsAndDescent_SelectLists(string path, string expected)
    {
        var input = JsonNode.Parse("""{"items": [{"id": 1, "price": 2}, {"id": 2, "price": 20, "tag": "sale"}, {"id": 3, "price": 7}]}""");
        Assert.True(JsonPath.Parse(path).TrySelect(input, null, out var value));
        Assert.Equal(expected, value!.ToJsonString());
        Assert.False(JsonPath.Parse(path).IsReferencePath);
    }

    [Fact]
    public void DoubleDollarPath_ReadsTheContextObject()
    {
        var context = JsonNode.Parse("""{"Execution": {"Id": "arn:exec"}}""");
        Assert.True(JsonPath.Parse("$$.Execution.Id").TrySelect(Input, context, out var value));
        Assert.Equal("arn:exec", value!.GetValue<string>());
    }

    [Fact]
    public void Writing_CreatesMissingObjectsAndReplacesExistingValues()
    {
        var target = JsonNode.Parse("""{"a": {"b": 1}, "list": [0, 0]}""");
        var written = JsonPath.Parse("$.a.c.d").Write(target, JsonValue.Create(5));
        written = JsonPath.Parse("$.list[1]").Write(written, JsonValue.Create(9));
        Assert.Equal("""{"a":{"b":1,"c":{"d":5}},"list":[0,9]}""", written!.ToJsonString());
    }

    [Fact]
    public void Writing_ThroughAScalar_IsRefused()
    {
        var target = JsonNode.Parse("""{"a": 1}""");
        Assert.Throws<InvalidOperationException>(() => JsonPath.Parse("$.a.b").Write(target, JsonValue.Create(5)));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("$.a[")]
    [InlineData("$.a[?(@.x ==)]")]
    public void MalformedPaths_AreRejected(string path) => Assert.False(JsonPath.TryParse(path, out _));
}
