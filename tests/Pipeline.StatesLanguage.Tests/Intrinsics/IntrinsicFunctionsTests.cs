using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Intrinsics;

namespace Pipeline.StatesLanguage.Tests.Intrinsics;

/// <summary>The examples of the Step Functions "Intrinsic functions" page and the States Language spec, with their documented results.</summary>
public class IntrinsicFunctionsTests
{
    private static string Evaluate(string expression, string input = "{}") =>
        IntrinsicFunctions.Evaluate(expression, JsonNode.Parse(input), new JsonObject(), new Random(1))?.ToJsonString() ?? "null";

    private static string EvaluateText(string expression, string input = "{}") =>
        IntrinsicFunctions.Evaluate(expression, JsonNode.Parse(input), new JsonObject(), new Random(1))!.GetValue<string>();

    [Fact]
    public void Format_FillsALiteralTemplate() =>
        Assert.Equal("\"Hello, my name is Arnav.\"", Evaluate("States.Format('Hello, my name is {}.', $.name)", """{"name": "Arnav"}"""));

    [Fact]
    public void Format_FillsATemplateFromTheInput() =>
        Assert.Equal("\"Hello, my name is Arnav.\"", Evaluate("States.Format($.template, $.name)", """{"name": "Arnav", "template": "Hello, my name is {}."}"""));

    [Fact]
    public void Format_FromTheSpec_MixesPathsAndNumbers() =>
        Assert.Equal("\"Your name is Foo, we are in the year 2020\"", Evaluate("States.Format('Your name is {}, we are in the year {}', $.name, 2020)", """{"name": "Foo"}"""));

    [Fact]
    public void Format_HonoursEscapedQuotesBracesAndBackslashes() =>
        Assert.Equal("it's {literal} \\ ok", EvaluateText("""States.Format('it\'s \{literal\} \\ {}', 'ok')"""));

    [Fact]
    public void Format_WithFewerArgumentsThanPlaceholders_IsAnIntrinsicFailure()
    {
        var failure = Assert.Throws<StateFailedException>(() => Evaluate("States.Format('{} {}', 'a')"));
        Assert.Equal("States.IntrinsicFailure", failure.Error);
    }

    [Fact]
    public void StringToJson_ParsesEscapedJson() =>
        Assert.Equal("""{"foo":"bar"}""", Evaluate("States.StringToJson($.escapedJsonString)", """{"escapedJsonString": "{\"foo\": \"bar\"}"}"""));

    [Fact]
    public void JsonToString_SerializesTheSelectedNode() =>
        Assert.Equal("\"{\\u0022name\\u0022:\\u0022Foo\\u0022,\\u0022year\\u0022:2020}\"", Evaluate("States.JsonToString($.someJson)", """{"someJson": {"name": "Foo", "year": 2020}}"""));

    [Fact]
    public void Array_CollectsItsArguments() =>
        Assert.Equal("""["Foo",2020,{"random":"abcdefg"},null]""", Evaluate("States.Array('Foo', 2020, $.someJson, null)", """{"someJson": {"random": "abcdefg"}}"""));

    [Fact]
    public void ArrayPartition_ChunksTheArray() =>
        Assert.Equal("[[1,2,3,4],[5,6,7,8],[9]]", Evaluate("States.ArrayPartition($.inputArray,4)", """{"inputArray": [1,2,3,4,5,6,7,8,9]}"""));

    [Fact]
    public void ArrayContains_FindsTheValue() =>
        Assert.Equal("true", Evaluate("States.ArrayContains($.inputArray, $.lookingFor)", """{"inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5}"""));

    [Fact]
    public void ArrayRange_CountsByTheStep() => Assert.Equal("[1,3,5,7,9]", Evaluate("States.ArrayRange(1, 9, 2)"));

    [Fact]
    public void ArrayRange_RefusesMoreThan1000Items() =>
        Assert.Equal("States.IntrinsicFailure", Assert.Throws<StateFailedException>(() => Evaluate("States.ArrayRange(1, 2000, 1)")).Error);

    [Fact]
    public void ArrayGetItem_ReturnsTheItemAtTheIndex() =>
        Assert.Equal("6", Evaluate("States.ArrayGetItem($.inputArray, $.index)", """{"inputArray": [1,2,3,4,5,6,7,8,9], "index": 5}"""));

    [Fact]
    public void ArrayLength_CountsTheItems() =>
        Assert.Equal("9", Evaluate("States.ArrayLength($.inputArray)", """{"inputArray": [1,2,3,4,5,6,7,8,9]}"""));

    [Fact]
    public void ArrayUnique_DropsDuplicates() =>
        Assert.Equal("[1,2,3,4]", Evaluate("States.ArrayUnique($.inputArray)", """{"inputArray": [1,2,3,3,3,3,3,3,4]}"""));

    [Fact]
    public void Base64Encode_EncodesUtf8() =>
        Assert.Equal("\"RGF0YSB0byBlbmNvZGU=\"", Evaluate("States.Base64Encode($.input)", """{"input": "Data to encode"}"""));

    [Fact]
    public void Base64Decode_DecodesTheDocumentedString()
    {
        // The docs print "Decoded data" here, but RGF0YSB0byBlbmNvZGU= is the encoding of "Data to encode" shown just above it.
        Assert.Equal("\"Data to encode\"", Evaluate("States.Base64Decode($.base64)", """{"base64": "RGF0YSB0byBlbmNvZGU="}"""));
    }

    [Theory]
    // The docs print the SHA-1 of "input data" with one digit missing (aaff...d18d7485e8...); this is the full digest.
    [InlineData("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7")]
    [InlineData("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")]
    [InlineData("MD5", "812f45842bc6d66ee14572ce20db8e86")]
    public void Hash_IsLowercaseHexOfTheUtf8Text(string algorithm, string expected) =>
        Assert.Equal(expected, EvaluateText("States.Hash($.Data, $.Algorithm)", $$"""{"Data": "input data", "Algorithm": "{{algorithm}}"}"""));

    [Fact]
    public void JsonMerge_IsShallow() =>
        Assert.Equal("""{"a":{"a3":1,"a4":2},"b":2,"c":3}""",
            Evaluate("States.JsonMerge($.json1, $.json2, false)", """{"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}"""));

    [Fact]
    public void JsonMerge_RefusesDeepMerging() =>
        Assert.Equal("States.IntrinsicFailure", Assert.Throws<StateFailedException>(() => Evaluate("States.JsonMerge($.a, $.b, true)", """{"a": {}, "b": {}}""")).Error);

    [Fact]
    public void MathRandom_StaysInRangeAndASeedRepeatsTheNumber()
    {
        var value = int.Parse(Evaluate("States.MathRandom($.start, $.end)", """{"start": 1, "end": 999}"""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(value, 1, 998);
        Assert.Equal(Evaluate("States.MathRandom(1, 999, 42)"), Evaluate("States.MathRandom(1, 999, 42)"));
    }

    [Fact]
    public void MathAdd_Adds() => Assert.Equal("110", Evaluate("States.MathAdd($.value1, $.step)", """{"value1": 111, "step": -1}"""));

    [Fact]
    public void StringSplit_SplitsOnOneDelimiter() =>
        Assert.Equal("""["1","2","3","4","5"]""", Evaluate("States.StringSplit($.inputString, $.splitter)", """{"inputString": "1,2,3,4,5", "splitter": ","}"""));

    [Fact]
    public void StringSplit_SplitsOnAnyOfSeveralDelimiters() =>
        Assert.Equal("""["This","is","a","test","string"]""", Evaluate("States.StringSplit($.inputString, $.splitter)", """{"inputString": "This.is+a,test=string", "splitter": ".+,="}"""));

    [Fact]
    public void UUID_IsAVersion4Uuid() =>
        Assert.Matches("^\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"$", Evaluate("States.UUID()"));

    [Fact]
    public void Calls_NestAsInTheDocsNineDeepExample() =>
        Assert.Equal("\"1.2.3\"", Evaluate(
            "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), 3)",
            """{"ImageRecipe": {"Arn": "arn:aws:imagebuilder:us-east-1:123:image-recipe/recipe/1.2.0"}}"""));

    [Theory]
    [InlineData("States.Nope(1)")]
    [InlineData("States.Format('unterminated)")]
    [InlineData("States.Format('bad \\q escape')")]
    public void MalformedCalls_AreIntrinsicFailures(string expression) =>
        Assert.Equal("States.IntrinsicFailure", Assert.Throws<StateFailedException>(() => Evaluate(expression)).Error);
}
