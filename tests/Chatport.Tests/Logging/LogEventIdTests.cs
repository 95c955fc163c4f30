using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Chatport.Tests.Logging;

/// <summary>
/// Every <c>[LoggerMessage]</c> of a src assembly has its own explicit event id, so a log line's id names one
/// message. Each class takes a block of 100 ids (in Chatport.Delivery, the Dispatcher takes 1–99).
/// </summary>
public sealed class LogEventIdTests
{
    public static TheoryData<string> Assemblies() =>
    [
        typeof(Chatport.Contract.JsonErrors).Assembly.GetName().Name!,
        typeof(Chatport.Storage.IChatportStore).Assembly.GetName().Name!,
        typeof(Chatport.Delivery.DeliveryServiceCollectionExtensions).Assembly.GetName().Name!,
        typeof(Chatport.Hosting.ChatportApp).Assembly.GetName().Name!,
    ];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Event_ids_are_explicit_and_unique_within_the_assembly(string assemblyName)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var messages = Assembly.Load(assemblyName).GetTypes()
            .SelectMany(type => type.GetMethods(declared))
            .Select(method => (Name: $"{method.DeclaringType!.FullName}.{method.Name}", method.GetCustomAttribute<LoggerMessageAttribute>()?.EventId))
            .Where(message => message.EventId is not null)
            .ToList();

        var implicitIds = messages.Where(m => m.EventId < 0).Select(m => m.Name).ToList();
        var duplicates = messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"event id {g.Key}: {string.Join(" and ", g.Select(m => m.Name))}")
            .ToList();

        Assert.True(implicitIds.Count == 0, $"{assemblyName}: no event id given: {string.Join(", ", implicitIds)}");
        Assert.True(duplicates.Count == 0, $"{assemblyName}: shared {string.Join("; ", duplicates)}");
    }
}
