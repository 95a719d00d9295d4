using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Json;
using Pipeline.Personalize.Local.Resources;
using Pipeline.Personalize.Local.State;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>The Describe operations' answer: the resource as it serializes, under its kind's member.</summary>
public static class Describing
{
    public static JsonObject Answer<T>(PersonalizeContext context, Func<PersonalizeState, Dictionary<string, T>> table, string arn, string member)
        where T : Resource =>
        context.Store.Read(state => new JsonObject { [member] = PersonalizeJson.ToNode(PersonalizeContext.Get(table(state), arn)) });
}
