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

    private static readonly HashSet<string> Known =
    [
        "States.Format", "States.StringToJson", "States.JsonToString", "States.Array", "States.ArrayPartition",
        "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem", "States.ArrayLength", "States.ArrayUnique",
        "States.Base64Encode", "States.Base64Decode", "States.Hash", "States.JsonMerge", "States.MathRandom",
        "States.MathAdd", "States.StringSplit", "States.UUID",
    ];

    public static bool IsKnown(string name) => Known.Contains(name);

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
        FunctionCall call => Call(call, call.Arguments.Select(argument => Evaluate(argument, input, context, random)).ToList(), random),
        _ => throw new InvalidOperationException("Unknown intrinsic expression."),
    };

    private static JsonNode? Call(FunctionCall call, List<JsonNode?> args, Random random)
    {
        var name = call.Name;
        switch (name)
        {
            case "States.Format":
                RequireAtLeast(name, args, 1);
                var template = call.Arguments[0] is LiteralArgument { FormatTemplate: { } literal } ? literal : String(name, args[0]);
                return JsonValue.Create(Format(template, args.Skip(1).ToList()));
            case "States.StringToJson":
                RequireCount(name, args, 1);
                try
                {
                    return JsonNode.Parse(String(name, args[0]));
                }
                catch (JsonException e)
                {
                    throw Failure(name, $"the argument is not JSON text: {e.Message}");
                }
            case "States.JsonToString":
                RequireCount(name, args, 1);
                return JsonValue.Create(JsonValues.ToJson(args[0]));
            case "States.Array":
                return new JsonArray(args.ToArray());
            case "States.ArrayPartition":
            {
                RequireCount(name, args, 2);
                var array = Array(name, args[0]);
                var size = Integer(name, args[1]);
                if (size <= 0)
                {
                    throw Failure(name, "the chunk size must be a positive integer");
                }
                return new JsonArray(array.Chunk((int)size).Select(chunk => (JsonNode?)new JsonArray(chunk.Select(JsonValues.Clone).ToArray())).ToArray());
            }
            case "States.ArrayContains":
                RequireCount(name, args, 2);
                return JsonValue.Create(Array(name, args[0]).Any(item => SameValue(item, args[1])));
            case "States.ArrayRange":
            {
                RequireCount(name, args, 3);
                long first = Integer(name, args[0]), last = Integer(name, args[1]), step = Integer(name, args[2]);
                if (step == 0)
                {
                    throw Failure(name, "the step must not be zero");
                }
                var items = new JsonArray();
                for (var value = first; step > 0 ? value <= last : value >= last; value += step)
                {
                    if (items.Count == MaxArrayRangeLength)
                    {
                        throw Failure(name, $"the range has more than {MaxArrayRangeLength} items");
                    }
                    items.Add(value);
                }
                return items;
            }
            case "States.ArrayGetItem":
            {
                RequireCount(name, args, 2);
                var array = Array(name, args[0]);
                var index = Integer(name, args[1]);
                if (index < 0 || index >= array.Count)
                {
                    throw Failure(name, $"the index {index} is out of bounds of an array of length {array.Count}");
                }
                return JsonValues.Clone(array[(int)index]);
            }
            case "States.ArrayLength":
                RequireCount(name, args, 1);
                return JsonValue.Create(Array(name, args[0]).Count);
            case "States.ArrayUnique":
            {
                RequireCount(name, args, 1);
                var unique = new List<JsonNode?>();
                foreach (var item in Array(name, args[0]).Where(item => !unique.Any(seen => SameValue(seen, item))))
                {
                    unique.Add(item);
                }
                return new JsonArray(unique.Select(JsonValues.Clone).ToArray());
            }
            case "States.Base64Encode":
            {
                RequireCount(name, args, 1);
                var text = LimitedString(name, args[0]);
                return JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
            }
            case "States.Base64Decode":
            {
                RequireCount(name, args, 1);
                var text = LimitedString(name, args[0]);
                try
                {
                    return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
                }
                catch (FormatException)
                {
                    throw Failure(name, "the argument is not Base64");
                }
            }
            case "States.Hash":
            {
                RequireCount(name, args, 2);
                var data = JsonValues.TryGetString(args[0], out var text) ? text : JsonValues.ToJson(args[0]);
                if (data.Length > MaxEncodedLength)
                {
                    throw Failure(name, $"the data is longer than {MaxEncodedLength} characters");
                }
                var bytes = Encoding.UTF8.GetBytes(data);
                var hash = String(name, args[1]) switch
                {
                    "MD5" => MD5.HashData(bytes),
                    "SHA-1" => SHA1.HashData(bytes),
                    "SHA-256" => SHA256.HashData(bytes),
                    "SHA-384" => SHA384.HashData(bytes),
                    "SHA-512" => SHA512.HashData(bytes),
                    var other => throw Failure(name, $"'{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
                };
                return JsonValue.Create(Convert.ToHexStringLower(hash));
            }
            case "States.JsonMerge":
            {
                RequireCount(name, args, 3);
                if (args[0] is not JsonObject left || args[1] is not JsonObject right)
                {
                    throw Failure(name, "the first two arguments must be JSON objects");
                }
                if (!JsonValues.TryGetBoolean(args[2], out var deep) || deep)
                {
                    throw Failure(name, "only shallow merging is supported: the third argument must be false");
                }
                var merged = (JsonObject)left.DeepClone();
                foreach (var (key, value) in right)
                {
                    merged[key] = JsonValues.Clone(value);
                }
                return merged;
            }
            case "States.MathRandom":
            {
                if (args.Count is not (2 or 3))
                {
                    throw Failure(name, $"it takes 2 or 3 arguments, not {args.Count}");
                }
                var start = Integer(name, args[0]);
                var end = Integer(name, args[1]);
                if (end <= start)
                {
                    throw Failure(name, "the end must be greater than the start");
                }
                var generator = args.Count == 3 ? new Random(unchecked((int)Integer(name, args[2]))) : random;
                return JsonValue.Create(generator.NextInt64(start, end));
            }
            case "States.MathAdd":
            {
                RequireCount(name, args, 2);
                return JsonValue.Create((long)Math.Round(Number(name, args[0]) + Number(name, args[1]), MidpointRounding.AwayFromZero));
            }
            case "States.StringSplit":
            {
                RequireCount(name, args, 2);
                var parts = String(name, args[0]).Split(String(name, args[1]).ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
                return new JsonArray(parts.Select(part => (JsonNode?)JsonValue.Create(part)).ToArray());
            }
            case "States.UUID":
                RequireCount(name, args, 0);
                return JsonValue.Create(Guid.NewGuid().ToString());
            default:
                throw Failure(name, "it is not a known intrinsic function");
        }
    }

    private static string Format(string template, List<JsonNode?> values)
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

    private static void RequireCount(string name, List<JsonNode?> args, int count)
    {
        if (args.Count != count)
        {
            throw Failure(name, $"it takes {count} argument(s), not {args.Count}");
        }
    }

    private static void RequireAtLeast(string name, List<JsonNode?> args, int count)
    {
        if (args.Count < count)
        {
            throw Failure(name, $"it takes at least {count} argument(s)");
        }
    }

    private static string String(string name, JsonNode? value) =>
        JsonValues.TryGetString(value, out var text) ? text : throw Failure(name, $"{JsonValues.ToJson(value)} is not a string");

    private static string LimitedString(string name, JsonNode? value)
    {
        var text = String(name, value);
        return text.Length <= MaxEncodedLength ? text : throw Failure(name, $"the argument is longer than {MaxEncodedLength} characters");
    }

    private static JsonArray Array(string name, JsonNode? value) =>
        value as JsonArray ?? throw Failure(name, $"{JsonValues.ToJson(value)} is not an array");

    private static long Integer(string name, JsonNode? value) =>
        JsonValues.TryGetInteger(value, out var number) ? number : throw Failure(name, $"{JsonValues.ToJson(value)} is not an integer");

    private static double Number(string name, JsonNode? value) =>
        JsonValues.TryGetDouble(value, out var number) ? number : throw Failure(name, $"{JsonValues.ToJson(value)} is not a number");

    private static StateFailedException Failure(string name, string problem) =>
        new(StatesErrors.IntrinsicFailure, string.Create(CultureInfo.InvariantCulture, $"Invalid arguments in {name}: {problem}."));
}
