using CloudTransition.Api.RelayDevices;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Views.Dashboard;

/// <summary>A device whose current method stops working soon, and what it can move to then.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Name">Its name.</param>
/// <param name="Method">The method it was re-pointed to.</param>
/// <param name="StopsOn">The day that method stops working for it.</param>
/// <param name="DaysLeft">Days from the read to then (0 or less: it has stopped).</param>
/// <param name="Recommended">What the advisor recommends for it on that day.</param>
/// <param name="Alternatives">What else works for it then.</param>
public record ExpiringDevice(string DeviceId, string Name, RelayMethod Method, DateOnly StopsOn, int DaysLeft, RelayMethod Recommended,
    IReadOnlyList<RelayMethod> Alternatives);

public static class ExpiringDevices
{
    /// <summary>Re-pointed devices whose method ends within <see cref="RelayRules.SoonDays"/> days of the read (or already has).</summary>
    public static IReadOnlyList<ExpiringDevice> Of(TransitionView v, DateTimeOffset now)
    {
        var day = RelayDay.Of(now, v.Settings.RelayPolicy);
        return v.Devices.Values
            .Where(d => d.State == DeviceState.Repointed && d.Method is not null)
            .Select(d => (Device: d, Stops: RelayRules.StopsWorking(d.Facts, d.Method!.Value, day.Policy)))
            .Where(x => x.Stops is { } stop && stop <= day.On.AddDays(RelayRules.SoonDays))
            .OrderBy(x => x.Stops).ThenBy(x => x.Device.Name, StringComparer.Ordinal)
            .Select(x =>
            {
                var then = x.Device.Advice(day with { On = x.Stops!.Value > day.On ? x.Stops.Value : day.On });
                return new ExpiringDevice(x.Device.DeviceId, x.Device.Name, x.Device.Method!.Value, x.Stops.Value, x.Stops.Value.DayNumber - day.On.DayNumber,
                    then.Method, then.Alternatives);
            }).ToList();
    }
}
