namespace Pipeline.Engine.Filters;

/// <summary>
/// Parses Personalize's filter expression language (item filters):
/// <code>
/// filter     := expression ( '|' expression )*
/// expression := (INCLUDE | EXCLUDE) ItemID WHERE conditions [ IF userCond ( AND userCond )* ]
/// conditions := condition ( (AND | OR) condition )*        -- AND binds tighter than OR; all on one dataset
/// condition  := field [NOT] IN '(' operand ( ',' operand )* ')'  |  field op operand
/// field      := (Items | Interactions) '.' NAME             -- Interactions only has EVENT_TYPE, with IN / NOT IN
/// userCond   := CurrentUser '.' NAME ( [NOT] IN (...) | op operand )
/// operand    := "string" | number | $PLACEHOLDER | CurrentItem '.' NAME
/// op         := = | != | &lt; | &lt;= | &gt; | &gt;=           -- numbers only
/// </code>
/// Keywords and dataset names are case-insensitive. As in Personalize, placeholders cannot be used with NOT IN.
/// </summary>
public sealed class FilterParser
{
    /// <summary>CreateFilter's limit on the length of a filter expression.</summary>
    public const int MaxExpressionLength = 2500;

    private readonly List<FilterToken> _tokens;
    private int _next;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    public static IReadOnlyList<FilterExpression> Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxExpressionLength)
            throw new FilterExpressionException(
                $"expected at most {MaxExpressionLength} characters, found {expression.Length}", MaxExpressionLength, $"at most {MaxExpressionLength} characters");
        var parser = new FilterParser(FilterLexer.Tokenize(expression));
        var expressions = new List<FilterExpression> { parser.ParseExpression() };
        while (parser.Peek.Kind == FilterTokenKind.Pipe)
        {
            parser._next++;
            expressions.Add(parser.ParseExpression());
        }
        parser.Expect(FilterTokenKind.End, "AND, OR, IF, '|' or the end of the expression");
        return expressions;
    }

    private FilterToken Peek => _tokens[_next];

    private FilterExpression ParseExpression()
    {
        var actionToken = Peek;
        var action = actionToken.IsWord("INCLUDE") ? FilterAction.Include
            : actionToken.IsWord("EXCLUDE") ? FilterAction.Exclude
            : throw Error(actionToken, "INCLUDE or EXCLUDE");
        _next++;
        ExpectWord("ItemID", "ItemID (the engine filters items)");
        ExpectWord("WHERE", "WHERE");

        var groups = new List<IReadOnlyList<FilterCondition>>();
        var group = new List<FilterCondition> { ParseCondition(FilterDataset.Items, FilterDataset.Interactions) };
        var dataset = group[0].Field.Dataset;
        while (Peek.IsWord("AND") || Peek.IsWord("OR"))
        {
            if (Peek.IsWord("OR"))
            {
                groups.Add(group);
                group = [];
            }
            _next++;
            var condition = ParseCondition(FilterDataset.Items, FilterDataset.Interactions);
            if (condition.Field.Dataset != dataset)
                throw new FilterExpressionException(
                    $"expected a condition on {dataset} (conditions chained with AND/OR use the dataset of the first condition), found {condition.Field.Dataset}",
                    condition.Field.Position, $"a condition on {dataset}");
            group.Add(condition);
        }
        groups.Add(group);

        var userConditions = new List<FilterCondition>();
        if (Peek.IsWord("IF"))
        {
            _next++;
            userConditions.Add(ParseCondition(FilterDataset.CurrentUser));
            while (Peek.IsWord("AND"))
            {
                _next++;
                userConditions.Add(ParseCondition(FilterDataset.CurrentUser));
            }
            if (Peek.IsWord("OR")) throw Error(Peek, "AND, '|' or the end of the expression (IF conditions chain with AND only)");
        }
        return new FilterExpression(action, groups, userConditions);
    }

    private FilterCondition ParseCondition(params FilterDataset[] allowed)
    {
        var field = ParseField(allowed);
        var token = Peek;
        if (token.IsWord("IN") || token.IsWord("NOT"))
        {
            var negated = token.IsWord("NOT");
            _next++;
            if (negated) ExpectWord("IN", "IN after NOT");
            Expect(FilterTokenKind.OpenParen, "'('");
            var values = new List<FilterOperand> { ParseOperand(negated, numeric: false) };
            while (Peek.Kind == FilterTokenKind.Comma)
            {
                _next++;
                values.Add(ParseOperand(negated, numeric: false));
            }
            Expect(FilterTokenKind.CloseParen, "',' or ')'");
            return new MembershipCondition(field, negated, values);
        }
        if (token.Kind == FilterTokenKind.Operator)
        {
            if (field.Dataset == FilterDataset.Interactions) throw Error(token, "IN or NOT IN (Interactions.EVENT_TYPE is compared as strings)");
            _next++;
            var op = token.Text switch
            {
                "=" => ComparisonOperator.Equal,
                "!=" => ComparisonOperator.NotEqual,
                "<" => ComparisonOperator.Less,
                "<=" => ComparisonOperator.LessOrEqual,
                ">" => ComparisonOperator.Greater,
                _ => ComparisonOperator.GreaterOrEqual,
            };
            return new ComparisonCondition(field, op, ParseOperand(negated: false, numeric: true));
        }
        throw Error(token, field.Dataset == FilterDataset.Interactions
            ? "IN or NOT IN"
            : "IN, NOT IN or a comparison operator (=, !=, <, <=, >, >=)");
    }

    private FilterField ParseField(FilterDataset[] allowed)
    {
        var token = Peek;
        var expected = string.Join(" or ", allowed.Select(d => $"{d}.FIELD"));
        if (token.Kind != FilterTokenKind.Word || !Enum.TryParse<FilterDataset>(token.Text, ignoreCase: true, out var dataset) || !allowed.Contains(dataset))
            throw Error(token, expected);
        _next++;
        Expect(FilterTokenKind.Dot, $"'.' after {dataset}");
        var name = Expect(FilterTokenKind.Word, $"a field name after {dataset}.");
        if (dataset == FilterDataset.Interactions && !name.IsWord("EVENT_TYPE"))
            throw Error(name, "EVENT_TYPE (the only Interactions field a filter can use)");
        return new FilterField(dataset, name.Text.ToUpperInvariant(), token.Position);
    }

    private FilterOperand ParseOperand(bool negated, bool numeric)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case FilterTokenKind.String when !numeric:
                _next++;
                return new LiteralOperand(token.Text, IsNumber: false, token.Position);
            case FilterTokenKind.Number:
                _next++;
                return new LiteralOperand(token.Text, IsNumber: true, token.Position);
            case FilterTokenKind.Placeholder when negated:
                // Personalize's CreateFilter error, word for word.
                throw new FilterExpressionException(
                    $"Invalid input symbol: ${token.Text}. Placeholders are not allowed with NOT_IN operator.", token.Position, "a literal value");
            case FilterTokenKind.Placeholder:
                _next++;
                return new PlaceholderOperand(token.Text, token.Position);
            case FilterTokenKind.Word when token.IsWord("CurrentItem"):
                _next++;
                Expect(FilterTokenKind.Dot, "'.' after CurrentItem");
                var field = Expect(FilterTokenKind.Word, "a field name after CurrentItem.");
                return new CurrentItemOperand(field.Text.ToUpperInvariant(), token.Position);
            default:
                throw Error(token, numeric
                    ? "a number, a $PLACEHOLDER or CurrentItem.FIELD"
                    : "a \"string\", a number, a $PLACEHOLDER or CurrentItem.FIELD");
        }
    }

    private FilterToken Expect(FilterTokenKind kind, string expected)
    {
        var token = Peek;
        if (token.Kind != kind) throw Error(token, expected);
        _next++;
        return token;
    }

    private void ExpectWord(string keyword, string expected)
    {
        if (!Peek.IsWord(keyword)) throw Error(Peek, expected);
        _next++;
    }

    private static FilterExpressionException Error(FilterToken found, string expected) =>
        new($"expected {expected}, found {found.Describe()}", found.Position, expected);
}
