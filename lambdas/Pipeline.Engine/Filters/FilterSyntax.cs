namespace Pipeline.Engine.Filters;

public enum FilterAction { Include, Exclude }

/// <summary>The dataset a field belongs to: <c>Items.X</c>, <c>Interactions.EVENT_TYPE</c>, <c>CurrentUser.X</c> (IF only) or <c>CurrentItem.X</c> (values only).</summary>
public enum FilterDataset { Items, Interactions, CurrentUser, CurrentItem }

public enum ComparisonOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>A <c>Dataset.FIELD</c> reference; <see cref="Position"/> is the 0-based offset of the dataset name.</summary>
public sealed record FilterField(FilterDataset Dataset, string Name, int Position)
{
    public override string ToString() => $"{Dataset}.{Name}";
}

/// <summary>A value in a condition: a literal, a <c>$PLACEHOLDER</c> filled at request time, or a <c>CurrentItem.FIELD</c>.</summary>
public abstract record FilterOperand(int Position);

public sealed record LiteralOperand(string Text, bool IsNumber, int Position) : FilterOperand(Position);

public sealed record PlaceholderOperand(string Name, int Position) : FilterOperand(Position);

public sealed record CurrentItemOperand(string Field, int Position) : FilterOperand(Position);

public abstract record FilterCondition(FilterField Field);

/// <summary><c>Field IN (values)</c> or <c>Field NOT IN (values)</c>.</summary>
public sealed record MembershipCondition(FilterField Field, bool Negated, IReadOnlyList<FilterOperand> Values) : FilterCondition(Field);

/// <summary><c>Field op value</c> with a numeric value.</summary>
public sealed record ComparisonCondition(FilterField Field, ComparisonOperator Operator, FilterOperand Value) : FilterCondition(Field);

/// <summary>
/// One expression of a (possibly piped) filter. <see cref="Where"/> is in disjunctive form: the expression
/// matches an item when every condition of any one group holds (AND binds tighter than OR, as in SQL; the
/// language has no parentheses). <see cref="If"/> holds the CurrentUser conditions, all of which must hold for
/// the expression to apply at all.
/// </summary>
public sealed record FilterExpression(
    FilterAction Action,
    IReadOnlyList<IReadOnlyList<FilterCondition>> Where,
    IReadOnlyList<FilterCondition> If);
