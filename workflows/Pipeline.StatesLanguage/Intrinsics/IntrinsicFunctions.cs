using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Intrinsics;

/// <summary>Evaluates the States.* intrinsic functions; invalid arguments fail with States.IntrinsicFailure.</summary>
internal static class IntrinsicFunctions
{
    private const int MaxArrayRangeLength = 1000;
    private const int MaxEncodedLength = 10_000;

    /// <summary>The functions by name; adding one is adding a row.</summary>
    private static readonly Dictionary<string, Intrinsic> Functions = new(StringComparer.Ordinal)
    {
        ["States.Format"] = new(Arity.AtLeast(1), Format),
        ["States.StringToJson"] = new(Arity.Exactly(1), StringToJson),
        ["States.JsonToString"] = new(Arity.Exactly(1), JsonToString),
        ["States.Array"] = new(Arity.Any, ArrayOfArguments),
        ["States.ArrayPartition"] = new(Arity.Exactly(2), ArrayPartition),
        ["States.ArrayContains"] = new(Arity.Exactly(2), ArrayContains),
        ["States.ArrayRange"] = new(Arity.Exactly(3), ArrayRange),
        ["States.ArrayGetItem"] = new(Arity.Exactly(2), ArrayGetItem),
        ["States.ArrayLength"] = new(Arity.Exactly(1), ArrayLength),
        ["States.ArrayUnique"] = new(Arity.Exactly(1), ArrayUnique),
        ["States.Base64Encode"] = new(Arity.Exactly(1), Base64Encode),
        ["States.Base64Decode"] = new(Arity.Exactly(1), Base64Decode),
        ["States.Hash"] = new(Arity.Exactly(2), Hash),
        ["States.JsonMerge"] = new(Arity.Exactly(3), JsonMerge),
        ["States.MathRandom"] = new(Arity.Between(2, 3), MathRandom),
        ["States.MathAdd"] = new(Arity.Exactly(2), MathAdd),
        ["States.StringSplit"] = new(Arity.Exactly(2), StringSplit),
        ["States.UUID"] = new(Arity.Exactly(0), Uuid),
    };

    public static bool IsKnown(string name) => Functions.ContainsKey(name);

    public static JsonNode? Evaluate(string expression, JsonNode? input, JsonNode? context, Random random)
    {
        FunctionCall call;
        try
        {
            call = IntrinsicParser.Parse(expression);
        }
        catch (FormatException e)
        {
            throw new StateFailedException(StatesErrors.IntrinsicFailure, e.Message);
        }
        return Evaluate(call, input, context, random);
    }

    private static JsonNode? Evaluate(IntrinsicExpression expression, JsonNode? input, JsonNode? context, Random random) => expression switch
    {
        LiteralArgument literal => JsonValues.Clone(literal.Value),
        PathArgument path => path.Path.TrySelect(input, context, out var value)
            ? value
            : throw new StateFailedException(StatesErrors.Runtime, $"The JSONPath '{path.Path.Text}' could not be found in the input '{JsonValues.ToJson(path.Path.IsContextPath ? context : input)}'"),
        FunctionCall call => Call(new Invocation(call, call.Arguments.Select(argument => Evaluate(argument, input, context, random)).ToList(), random)),
        _ => throw new InvalidOperationException("Unknown intrinsic expression."),
    };

    // Arguments are evaluated before the name is looked up, so a missing path fails first, as it always has.
    private static JsonNode? Call(Invocation call)
    {
        if (!Functions.TryGetValue(call.Name, out var function))
        {
            throw call.Failure("it is not a known intrinsic function");
        }
        function.Arity.Check(call);
        return function.Implementation(call);
    }

    private static JsonNode? Format(Invocation call)
    {
        // A literal template keeps its \{ \} escapes; a template from a path has none to keep.
        var template = call.Call.Arguments[0] is LiteralArgument { FormatTemplate: { } literal } ? literal : call.String(0);
        return JsonValue.Create(FillTemplate(template, call.Args.Skip(1).ToList()));
    }

    private static JsonNode? StringToJson(Invocation call)
    {
        try
        {
            return JsonNode.Parse(call.String(0));
        }
        catch (JsonException e)
        {
            throw call.Failure($"the argument is not JSON text: {e.Message}");
        }
    }

    private static JsonNode? JsonToString(Invocation call) => JsonValue.Create(JsonValues.ToJson(call.Args[0]));

    private static JsonNode? ArrayOfArguments(Invocation call) => new JsonArray(call.Args.ToArray());

    private static JsonNode? ArrayPartition(Invocation call)
    {
        var array = call.Array(0);
        var size = call.Integer(1);
        if (size <= 0)
        {
            throw call.Failure("the chunk size must be a positive integer");
        }
        return new JsonArray(array.Chunk((int)size).Select(chunk => (JsonNode?)new JsonArray(chunk.Select(JsonValues.Clone).ToArray())).ToArray());
    }

    private static JsonNode? ArrayContains(Invocation call) =>
        JsonValue.Create(call.Array(0).Any(item => SameValue(item, call.Args[1])));

    private static JsonNode? ArrayRange(Invocation call)
    {
        long first = call.Integer(0), last = call.Integer(1), step = call.Integer(2);
        if (step == 0)
        {
            throw call.Failure("the step must not be zero");
        }
        var items = new JsonArray();
        for (var value = first; step > 0 ? value <= last : value >= last; value += step)
        {
            if (items.Count == MaxArrayRangeLength)
            {
                throw call.Failure($"the range has more than {MaxArrayRangeLength} items");
            }
            items.Add(value);
        }
        return items;
    }

    private static JsonNode? ArrayGetItem(Invocation call)
    {
        var array = call.Array(0);
        var index = call.Integer(1);
        if (index < 0 || index >= array.Count)
        {
            throw call.Failure($"the index {index} is out of bounds of an array of length {array.Count}");
        }
        return JsonValues.Clone(array[(int)index]);
    }

    private static JsonNode? ArrayLength(Invocation call) => JsonValue.Create(call.Array(0).Count);

    private static JsonNode? ArrayUnique(Invocation call)
    {
        var unique = new List<JsonNode?>();
        foreach (var item in call.Array(0).Where(item => !unique.Any(seen => SameValue(seen, item))))
        {
            unique.Add(item);
        }
        return new JsonArray(unique.Select(JsonValues.Clone).ToArray());
    }

    private static JsonNode? Base64Encode(Invocation call) =>
        JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(call.LimitedString(0))));

    private static JsonNode? Base64Decode(Invocation call)
    {
        var text = call.LimitedString(0);
        try
        {
            return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw call.Failure("the argument is not Base64");
        }
    }

    private static JsonNode? Hash(Invocation call)
    {
        // Non-string data is hashed as its JSON text.
        var data = JsonValues.TryGetString(call.Args[0], out var text) ? text : JsonValues.ToJson(call.Args[0]);
        if (data.Length > MaxEncodedLength)
        {
            throw call.Failure($"the data is longer than {MaxEncodedLength} characters");
        }
        var bytes = Encoding.UTF8.GetBytes(data);
        var hash = call.String(1) switch
        {
            "MD5" => MD5.HashData(bytes),
            "SHA-1" => SHA1.HashData(bytes),
            "SHA-256" => SHA256.HashData(bytes),
            "SHA-384" => SHA384.HashData(bytes),
            "SHA-512" => SHA512.HashData(bytes),
            var other => throw call.Failure($"'{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
        };
        return JsonValue.Create(Convert.ToHexStringLower(hash));
    }

    private static JsonNode? JsonMerge(Invocation call)
    {
        if (call.Args[0] is not JsonObject left || call.Args[1] is not JsonObject right)
        {
            throw call.Failure("the first two arguments must be JSON objects");
        }
        if (!JsonValues.TryGetBoolean(call.Args[2], out var deep) || deep)
        {
            throw call.Failure("only shallow merging is supported: the third argument must be false");
        }
        var merged = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            merged[key] = JsonValues.Clone(value);
        }
        return merged;
    }

    private static JsonNode? MathRandom(Invocation call)
    {
        var start = call.Integer(0);
        var end = call.Integer(1);
        if (end <= start)
        {
            throw call.Failure("the end must be greater than the start");
        }
        // A seed makes the draw repeatable; without one the execution's own generator is used.
        var generator = call.Args.Count == 3 ? new Random(unchecked((int)call.Integer(2))) : call.Random;
        return JsonValue.Create(generator.NextInt64(start, end));
    }

    private static JsonNode? MathAdd(Invocation call) =>
        JsonValue.Create((long)Math.Round(call.Number(0) + call.Number(1), MidpointRounding.AwayFromZero));

    private static JsonNode? StringSplit(Invocation call)
    {
        // Each character of the second argument is a delimiter on its own.
        var parts = call.String(0).Split(call.String(1).ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(parts.Select(part => (JsonNode?)JsonValue.Create(part)).ToArray());
    }

    private static JsonNode? Uuid(Invocation call) => JsonValue.Create(Guid.NewGuid().ToString());

    private static string FillTemplate(string template, List<JsonNode?> values)
    {
        var builder = new StringBuilder();
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] is '{' or '}' or '\\')
            {
                builder.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= values.Count)
                {
                    throw Failure("States.Format", "there are more {} placeholders than arguments");
                }
                builder.Append(FormatValue(values[next++]));
                i++;
            }
            else
            {
                builder.Append(c);
            }
        }
        if (next != values.Count)
        {
            throw Failure("States.Format", "there are more arguments than {} placeholders");
        }
        return builder.ToString();
    }

    private static string FormatValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject or JsonArray => throw Failure("States.Format", "an argument is a JSON object or array"),
        _ when JsonValues.TryGetString(value, out var text) => text,
        _ => value.ToJsonString(),
    };

    private static bool SameValue(JsonNode? left, JsonNode? right) =>
        JsonValues.TryGetNumber(left, out var a) && JsonValues.TryGetNumber(right, out var b) ? a == b : JsonValues.DeepEquals(left, right);

    private static StateFailedException Failure(string name, string problem) =>
        new(StatesErrors.IntrinsicFailure, string.Create(CultureInfo.InvariantCulture, $"Invalid arguments in {name}: {problem}."));

    private delegate JsonNode? Implementation(Invocation call);

    private sealed record Intrinsic(Arity Arity, Implementation Implementation);

    /// <summary>How many arguments a function takes; the messages are the ones callers have always seen.</summary>
    private readonly record struct Arity(int Min, int Max)
    {
        public static readonly Arity Any = new(0, int.MaxValue);

        public static Arity Exactly(int count) => new(count, count);

        public static Arity AtLeast(int count) => new(count, int.MaxValue);

        public static Arity Between(int min, int max) => new(min, max);

        public void Check(Invocation call)
        {
            var count = call.Args.Count;
            if (count < Min || count > Max)
            {
                throw call.Failure(Problem(count));
            }
        }

        private string Problem(int count) =>
            Max == int.MaxValue ? $"it takes at least {Min} argument(s)"
            : Min == Max ? $"it takes {Min} argument(s), not {count}"
            : $"it takes {Min} or {Max} arguments, not {count}";
    }

    /// <summary>One call with its evaluated arguments; the typed getters fail naming the function.</summary>
    private sealed record Invocation(FunctionCall Call, List<JsonNode?> Args, Random Random)
    {
        public string Name => Call.Name;

        public StateFailedException Failure(string problem) => IntrinsicFunctions.Failure(Name, problem);

        public string String(int index) =>
            JsonValues.TryGetString(Args[index], out var text) ? text : throw Failure($"{JsonValues.ToJson(Args[index])} is not a string");

        public string LimitedString(int index)
        {
            var text = String(index);
            return text.Length <= MaxEncodedLength ? text : throw Failure($"the argument is longer than {MaxEncodedLength} characters");
        }

        public JsonArray Array(int index) =>
            Args[index] as JsonArray ?? throw Failure($"{JsonValues.ToJson(Args[index])} is not an array");

        public long Integer(int index) =>
            JsonValues.TryGetInteger(Args[index], out var number) ? number : throw Failure($"{JsonValues.ToJson(Args[index])} is not an integer");

        public double Number(int index) =>
            JsonValues.TryGetDouble(Args[index], out var number) ? number : throw Failure($"{JsonValues.ToJson(Args[index])} is not a number");
    }
}
