using System.Text.Json.Nodes;
using Pipeline.StatesLanguage.Json;

namespace Pipeline.StatesLanguage.Intrinsics;

/// <summary>An argument of an intrinsic function call: a literal, a path, or a nested call.</summary>
internal abstract record IntrinsicExpression;

/// <param name="FormatTemplate">For string literals: the text with `\{` and `\}` kept escaped, so States.Format can tell them from placeholders.</param>
internal sealed record LiteralArgument(JsonNode? Value, string? FormatTemplate = null) : IntrinsicExpression;

internal sealed record PathArgument(JsonPath Path) : IntrinsicExpression;

internal sealed record FunctionCall(string Name, IReadOnlyList<IntrinsicExpression> Arguments) : IntrinsicExpression;
