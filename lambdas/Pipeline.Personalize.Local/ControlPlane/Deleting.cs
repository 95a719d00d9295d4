using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.State;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>
/// The Delete operations' common part: the resource must exist and not be deleting already, the kind's own refusals
/// (what still depends on it) are checked under the store's lock, then its delete lifecycle starts; the answer is empty.
/// </summary>
public static class Deleting
{
    /// <param name="refuse">Throws when something still depends on the resource.</param>
    /// <param name="run">The delete lifecycle (default: the resource alone goes).</param>
    public static async Task<JsonObject> StartAsync<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table,
        string arn, string kind, Action<PersonalizeState, T>? refuse = null, Func<string, Task>? run = null) where T : Resource
    {
        context.Store.Read(state =>
        {
            var resource = PersonalizeContext.GetToDelete(table(state), arn, kind);
            refuse?.Invoke(state, resource);
            return resource;
        });
        await (run ?? (deletedArn => context.RunDeletion(table, deletedArn)))(arn);
        return [];
    }
}
