using Pipeline.Domain.Catalog;

namespace Pipeline.Engine.Filters;

/// <summary>What evaluating a filter needs besides the candidates: item metadata, the users' interaction histories and user metadata.</summary>
public sealed class FilterContext
{
    private readonly Dictionary<string, Item> _items;
    private readonly Dictionary<string, User> _users;

    public FilterContext(IEnumerable<Item>? items = null, IInteractionHistory? history = null, IEnumerable<User>? users = null)
    {
        _items = (items ?? []).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        _users = (users ?? []).ToDictionary(u => u.UserId, StringComparer.Ordinal);
        History = history ?? InteractionHistory.Empty;
    }

    public IInteractionHistory History { get; }

    public Item? FindItem(string itemId) => _items.GetValueOrDefault(itemId);

    public User? FindUser(string userId) => _users.GetValueOrDefault(userId);
}
