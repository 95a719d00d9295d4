namespace Pipeline.Domain.Catalog;

/// <summary>
/// The category values present in the catalog (each part of a categorical <c>a|b</c>), for stores that can answer it
/// cheaply. Filtered requests use it to recognise an INCLUDE on categories no item has before anything is scored.
/// A store that cannot answer it cheaply (DynamoDB has no distinct query) does not implement it.
/// </summary>
public interface IItemCategories
{
    ValueTask<IReadOnlySet<string>> CategoriesAsync(CancellationToken cancellationToken = default);
}
