namespace Pipeline.Domain.Catalog;

public interface IItemStore
{
    Task UpsertAsync(IReadOnlyCollection<Item> items, CancellationToken cancellationToken = default);
    Task<Item?> GetAsync(string itemId, CancellationToken cancellationToken = default);
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}

public interface IUserStore
{
    Task UpsertAsync(IReadOnlyCollection<User> users, CancellationToken cancellationToken = default);
    Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default);
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
