using Microsoft.Data.Sqlite;
using Pipeline.Domain.Catalog;

namespace Pipeline.Adapters.Local.Sqlite;

public sealed class SqliteItemStore(SqliteDatabase database, TimeProvider? time = null) : IItemStore, IItemCategories
{
    /// <summary>How long the distinct categories are reused: another process writing the file is seen within this.</summary>
    public static readonly TimeSpan CategoriesFreshFor = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private (IReadOnlySet<string> Values, long ReadAt)? _categories;

    public async Task UpsertAsync(IReadOnlyCollection<Item> items, CancellationToken cancellationToken = default)
    {
        await database.Writes.EnqueueAsync((connection, transaction) =>
        {
            Upsert(connection, transaction, items);
            return 0;
        });
        _categories = null;
    }

    public async ValueTask<IReadOnlySet<string>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        if (_categories is { } known && _time.GetElapsedTime(known.ReadAt) < CategoriesFreshFor)
        {
            return known.Values;
        }
        var values = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = database.OpenForReading())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT category FROM items WHERE category IS NOT NULL";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                values.UnionWith(reader.GetString(0).Split('|'));
            }
        }
        _categories = (values, _time.GetTimestamp());
        return values;
    }

    private static void Upsert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<Item> items)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO items (item_id, category, price, created_at) VALUES ($id, $category, $price, $created)
            ON CONFLICT (item_id) DO UPDATE SET category = excluded.category, price = excluded.price, created_at = excluded.created_at
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var category = command.Parameters.Add("$category", SqliteType.Text);
        var price = command.Parameters.Add("$price", SqliteType.Real);
        var created = command.Parameters.Add("$created", SqliteType.Integer);
        foreach (var item in items)
        {
            id.Value = item.ItemId;
            category.Value = SqliteValues.Db(item.Category);
            price.Value = SqliteValues.Db(item.Price);
            created.Value = SqliteValues.Db(item.CreatedAt);
            command.ExecuteNonQuery();
        }
    }

    public Task<Item?> GetAsync(string itemId, CancellationToken cancellationToken = default) =>
        SqliteQueries.FindByIdAsync(database, "SELECT item_id, category, price, created_at FROM items WHERE item_id = $id", itemId,
            reader => new Item(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : SqliteValues.Time(reader.GetInt64(3))),
            cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        SqliteQueries.CountAsync(database, "items", cancellationToken);
}
