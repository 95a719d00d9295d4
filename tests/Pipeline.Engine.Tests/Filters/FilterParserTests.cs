using Pipeline.Engine.Filters;

namespace Pipeline.Engine.Tests.Filters;

public sealed class FilterParserTests
{
    private static FilterExpression Single(string expression) => Assert.Single(FilterParser.Parse(expression));

    [Fact]
    public void Parse_ExcludeByEventType()
    {
        var expression = Single("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")");
        Assert.Equal(FilterAction.Exclude, expression.Action);
        var condition = Assert.IsType<MembershipCondition>(Assert.Single(Assert.Single(expression.Where)));
        Assert.Equal(new FilterField(FilterDataset.Interactions, "EVENT_TYPE", 21), condition.Field);
        Assert.False(condition.Negated);
        Assert.Equal("purchase", Assert.IsType<LiteralOperand>(Assert.Single(condition.Values)).Text);
        Assert.Empty(expression.If);
    }

    [Fact]
    public void Parse_IncludeByPlaceholder()
    {
        var condition = Assert.IsType<MembershipCondition>(Single("INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)").Where[0][0]);
        Assert.Equal(FilterDataset.Items, condition.Field.Dataset);
        Assert.Equal("CATEGORY", Assert.IsType<PlaceholderOperand>(Assert.Single(condition.Values)).Name);
    }

    [Fact]
    public void Parse_KeywordsAndDatasetsIgnoreCase()
    {
        var condition = Assert.IsType<MembershipCondition>(Single("exclude itemId where INTERACTIONS.event_type in (\"Purchase\")").Where[0][0]);
        Assert.Equal(FilterDataset.Interactions, condition.Field.Dataset);
        Assert.Equal("EVENT_TYPE", condition.Field.Name);
    }

    [Fact]
    public void Parse_NotInAndSeveralValues()
    {
        var condition = Assert.IsType<MembershipCondition>(Single("EXCLUDE ItemID WHERE Items.CATEGORY NOT IN (\"a\", \"b\", 3)").Where[0][0]);
        Assert.True(condition.Negated);
        Assert.Equal(["a", "b", "3"], condition.Values.Cast<LiteralOperand>().Select(v => v.Text));
        Assert.True(((LiteralOperand)condition.Values[2]).IsNumber);
    }

    [Theory]
    [InlineData("<", ComparisonOperator.Less)]
    [InlineData("<=", ComparisonOperator.LessOrEqual)]
    [InlineData(">", ComparisonOperator.Greater)]
    [InlineData(">=", ComparisonOperator.GreaterOrEqual)]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    public void Parse_NumericComparisons(string op, ComparisonOperator expected)
    {
        var condition = Assert.IsType<ComparisonCondition>(Single($"INCLUDE ItemID WHERE Items.PRICE {op} 99.5").Where[0][0]);
        Assert.Equal(expected, condition.Operator);
        Assert.Equal("99.5", Assert.IsType<LiteralOperand>(condition.Value).Text);
    }

    [Fact]
    public void Parse_AndBindsTighterThanOr()
    {
        var where = Single("INCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") AND Items.PRICE < 10 OR Items.PRICE > 100").Where;
        Assert.Equal([2, 1], where.Select(g => g.Count));
    }

    [Fact]
    public void Parse_IfOnCurrentUserAndPipes()
    {
        var expressions = FilterParser.Parse(
            "INCLUDE ItemID WHERE Items.PRICE < $MAX IF CurrentUser.AGE > 18 AND CurrentUser.TIER IN (\"gold\") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"*\")");
        Assert.Equal(2, expressions.Count);
        Assert.Equal(2, expressions[0].If.Count);
        Assert.All(expressions[0].If, c => Assert.Equal(FilterDataset.CurrentUser, c.Field.Dataset));
        Assert.IsType<PlaceholderOperand>(((ComparisonCondition)expressions[0].Where[0][0]).Value);
        Assert.Equal(FilterAction.Exclude, expressions[1].Action);
    }

    [Fact]
    public void Parse_CurrentItemAsAValue()
    {
        var condition = Assert.IsType<MembershipCondition>(Single("INCLUDE ItemID WHERE Items.CATEGORY IN (CurrentItem.CATEGORY)").Where[0][0]);
        Assert.Equal("CATEGORY", Assert.IsType<CurrentItemOperand>(Assert.Single(condition.Values)).Field);
    }

    [Theory]
    // Each error names the 0-based offset of the offending token and what was expected there.
    [InlineData("", 0, "INCLUDE or EXCLUDE")]
    [InlineData("REMOVE ItemID WHERE Items.CATEGORY IN (\"a\")", 0, "INCLUDE or EXCLUDE")]
    [InlineData("EXCLUDE UserID WHERE Items.CATEGORY IN (\"a\")", 8, "ItemID")]
    [InlineData("EXCLUDE ItemID Items.CATEGORY IN (\"a\")", 15, "WHERE")]
    [InlineData("EXCLUDE ItemID WHERE Things.CATEGORY IN (\"a\")", 21, "Items.FIELD or Interactions.FIELD")]
    [InlineData("EXCLUDE ItemID WHERE Items CATEGORY IN (\"a\")", 27, "'.' after Items")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY INN (\"a\")", 36, "IN, NOT IN or a comparison operator")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN \"a\"", 39, "'('")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\" \"b\")", 44, "',' or ')'")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\"", 43, "',' or ')'")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN ()", 40, "a \"string\", a number")]
    [InlineData("EXCLUDE ItemID WHERE Items.PRICE < \"cheap\"", 35, "a number, a $PLACEHOLDER")]
    [InlineData("EXCLUDE ItemID WHERE Interactions.ITEM_ID IN (\"a\")", 34, "EVENT_TYPE")]
    [InlineData("EXCLUDE ItemID WHERE Interactions.EVENT_TYPE < 3", 45, "IN or NOT IN")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") AND Interactions.EVENT_TYPE IN (\"b\")", 49, "a condition on Items")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") extra", 45, "AND, OR, IF, '|' or the end of the expression")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a) ", 44, "'\"'")]
    [InlineData("EXCLUDE ItemID WHERE Items.PRICE ! 3", 33, "'!='")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") IF CurrentUser.AGE > 3 OR CurrentUser.AGE < 1", 68, "AND, '|' or the end")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (\"a\") |", 46, "INCLUDE or EXCLUDE")]
    [InlineData("EXCLUDE ItemID WHERE Items.CATEGORY IN (#)", 40, "a keyword, field, value or operator")]
    public void Parse_MalformedExpression_ReportsPositionAndExpectation(string expression, int position, string expected)
    {
        var error = Assert.Throws<FilterExpressionException>(() => FilterParser.Parse(expression));
        Assert.Equal(position, error.Position);
        Assert.StartsWith($"Invalid filter expression at position {position} (0-based): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedExpression_SaysWhatWasFound()
    {
        var error = Assert.Throws<FilterExpressionException>(() => FilterParser.Parse("EXCLUDE ItemID WHERE Items.CATEGORY INN (\"a\")"));
        Assert.Equal(
            "Invalid filter expression at position 36 (0-based): expected IN, NOT IN or a comparison operator (=, !=, <, <=, >, >=), found 'INN'",
            error.Message);
    }

    [Fact]
    public void Parse_PlaceholderWithNotIn_IsRejectedWithPersonalizesMessage()
    {
        var error = Assert.Throws<FilterExpressionException>(() => FilterParser.Parse("EXCLUDE ItemID WHERE Items.CATEGORY NOT IN ($CATEGORY)"));
        Assert.Equal(44, error.Position);
        Assert.EndsWith("Invalid input symbol: $CATEGORY. Placeholders are not allowed with NOT_IN operator.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLongAnExpression_IsRejected()
    {
        var values = string.Join(",", Enumerable.Range(0, 400).Select(i => $"\"v{i}\""));
        var error = Assert.Throws<FilterExpressionException>(() => FilterParser.Parse($"EXCLUDE ItemID WHERE Items.CATEGORY IN ({values})"));
        Assert.Equal(FilterParser.MaxExpressionLength, error.Position);
    }
}
