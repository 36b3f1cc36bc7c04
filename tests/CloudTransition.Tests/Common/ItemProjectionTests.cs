using System.Runtime.CompilerServices;
using CloudTransition.Api.Common;
using CloudTransition.Api.Hosting;
using CloudTransition.Contracts;
using Marten;

namespace CloudTransition.Tests.Common;

/// <summary>
/// Each item's projection is handed only the events its list names. An event its fold takes but its list omits would be lost on every
/// append and rebuild, so: every event outside an item's list must leave an item that does not exist yet not existing.
/// </summary>
public class ItemProjectionTests
{
    private static readonly IReadOnlyList<Type> TransitionEvents = typeof(ITransitionEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITransitionEvent).IsAssignableFrom(t)).ToList();

    public static TheoryData<string> Items() => [.. Projections().Select(p => p.GetType().GenericTypeArguments[0].Name)];

    [Theory]
    [MemberData(nameof(Items))]
    public void An_item_takes_no_event_outside_its_list(string item)
    {
        var projection = Projections().Single(p => p.GetType().GenericTypeArguments[0].Name == item);
        var listed = ((JasperFx.Events.Projections.EventFilterable)projection).IncludedEventTypes;
        Assert.NotEmpty(listed);
        var taken = TransitionEvents.Except(listed).Where(t => !Ignores(projection, RuntimeHelpers.GetUninitializedObject(t))).Select(t => t.Name);
        Assert.Empty(taken);
    }

    [Fact]
    public void Every_item_state_has_its_projection() => Assert.Equal(
        typeof(ItemState).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ItemState)) && !t.IsAbstract).Select(t => t.Name).Order(),
        Projections().Select(p => p.GetType().GenericTypeArguments[0].Name).Order());

    private static bool Ignores(object projection, object e) => (bool)projection.GetType().GetMethod(nameof(ItemProjection<Api.Mailboxes.Mailbox>.Ignores))!.Invoke(projection, [e])!;

    private static List<object> Projections()
    {
        var options = new StoreOptions();
        EventStore.Configure(options, "Host=localhost;Database=none", applySchema: false);
        return options.Projections.All.Cast<object>().Where(p => p.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ItemProjection<>)).ToList();
    }
}
