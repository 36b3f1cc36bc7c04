using System.Text.Json;
using System.Text.Json.Nodes;
using CloudTransition.Api.Blockers;
using CloudTransition.Api.Common;
using CloudTransition.Api.DirectorySync;
using CloudTransition.Api.Hybrid;
using CloudTransition.Api.Infrastructure;
using CloudTransition.Api.Mailboxes;
using CloudTransition.Api.RelayDevices;
using CloudTransition.Api.SupportCases;
using CloudTransition.Api.Transitions;
using CloudTransition.Api.Waves;
using FluentValidation;
using Marten;

namespace CloudTransition.Api.Webhooks;

/// <summary>One event of a delivery, about to run the same command, with the same validation, as its endpoint.</summary>
public class WebhookCall(IDocumentSession session, IServiceProvider services, JsonSerializerOptions json, TimeProvider time,
    string transitionId, JsonObject data)
{
    public IDocumentSession Session => session;
    public TimeProvider Time => time;
    public string TransitionId => transitionId;

    /// <summary>Reads the command from `data`, validates it like the endpoint does, and runs the endpoint's handler: the refusal, if any.</summary>
    public async Task<Refusal?> Run<T>(Func<T, Task<Refusal?>> handler)
    {
        T? command;
        try { command = data.Deserialize<T>(json); }
        catch (JsonException e)
        {
            var (field, message) = JsonErrors.Describe(typeof(T), e);
            return Refusal.Invalid.Field(field == "body" ? "data" : field, message);
        }
        if (command is null) return Refusal.Invalid.Field("data", "data must be an object.");
        var validation = await services.GetRequiredService<IValidator<T>>().ValidateAsync(command);
        if (!validation.IsValid) return new Refusal.Invalid(validation.ToDictionary().AsReadOnly());
        return await handler(command);
    }

    /// <summary>
    /// A value the endpoint takes from its route (an address, a device id), here a field of `data`: taken out of `data`, so
    /// the rest is read as the endpoint's body (where an unknown field is refused).
    /// </summary>
    public Task<Refusal?> With(string field, Func<WebhookCall, string, Task<Refusal?>> then)
    {
        if (data[field] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length is 0 or > 320)
            return Task.FromResult<Refusal?>(Refusal.Invalid.Field(field, $"data.{field} is required."));
        var rest = (JsonObject)data.DeepClone();
        rest.Remove(field);
        return then(new WebhookCall(session, services, json, time, transitionId, rest), text);
    }
}

/// <summary>Every event type automation may post, each mapped to the command of the matching endpoint.</summary>
public static class WebhookTypes
{
    public static readonly IReadOnlyDictionary<string, Func<WebhookCall, Task<Refusal?>>> All = new Dictionary<string, Func<WebhookCall, Task<Refusal?>>>
    {
        ["transition.phase-changed"] = c => c.Run<ChangePhase>(async r => (await ChangePhaseEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["mailbox.inventoried"] = c => c.Run<InventoryMailbox>(async r => await Inventoried(c, r)),
        ["mailbox.moved"] = c => c.With("address", (w, a) => w.Run<MoveMailbox>(async r => (await MoveMailboxEndpoint.Handle(w.TransitionId, a, r, w.Session, w.Time)).Refusal)),
        ["directory-sync.enabled"] = c => c.Run<EnableDirectorySync>(async r => (await EnableDirectorySyncEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["directory-sync.disabled"] = c => c.Run<DisableDirectorySync>(async r => (await DisableDirectorySyncEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["hybrid.configured"] = c => c.Run<RunHybridWizard>(async r => (await RunHybridWizardEndpoint.Handle(c.TransitionId, TransitionChecks.NewItemId(), r, c.Session, c.Time)).Refusal),
        ["hybrid.endpoint-restarted"] = c => c.With("server", (w, s) => w.Run<RestartEndpoint>(async r => (await RecordEndpointRestartEndpoint.Handle(w.TransitionId, s, r, w.Session, w.Time)).Refusal)),
        ["hybrid.checked"] = c => c.Run<RecordHybridCheck>(async r => (await RecordHybridCheckEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["device.registered"] = c => c.Run<RegisterDevice>(async r => (await RegisterDeviceEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["device.repointed"] = c => c.With("deviceId", (w, d) => w.Run<RepointDevice>(async r => (await RepointDeviceEndpoint.Handle(w.TransitionId, d, r, w.Session, w.Time)).Refusal)),
        ["device.retired"] = c => c.With("deviceId", (w, d) => w.Run<RetireDevice>(async r => (await RetireDeviceEndpoint.Handle(w.TransitionId, d, r, w.Session, w.Time)).Refusal)),
        ["component.inventoried"] = c => c.Run<InventoryComponent>(async r => (await InventoryComponentEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["component.decommissioned"] = c => c.With("componentId", (w, id) => w.Run<DecommissionComponent>(async r => (await DecommissionComponentEndpoint.Handle(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["component.retained"] = c => c.With("componentId", (w, id) => w.Run<RetainComponent>(async r => (await RetainComponentEndpoint.Handle(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["blocker.raised"] = c => c.Run<RaiseBlocker>(async r => (await RaiseBlockerEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["blocker.resolved"] = c => c.With("blockerId", (w, id) => w.Run<ResolveBlocker>(async r => (await ResolveBlockerEndpoint.Handle(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["support-case.opened"] = c => c.Run<OpenSupportCase>(async r => (await OpenSupportCaseEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["support-case.responded"] = c => c.With("caseId", (w, id) => w.Run<CaseNote>(async r => (await ProgressSupportCaseEndpoints.HandleResponse(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["support-case.escalated"] = c => c.With("caseId", (w, id) => w.Run<CaseNote>(async r => (await ProgressSupportCaseEndpoints.HandleEscalation(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["transition.settings-changed"] = c => c.Run<ChangeSettings>(async r => (await ChangeSettingsEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["wave.planned"] = c => c.Run<PlanWave>(async r => (await PlanWaveEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["wave.rescheduled"] = c => c.With("waveId", (w, id) => w.Run<RescheduleWave>(async r => (await RescheduleWaveEndpoint.Handle(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
        ["wave.mailboxes-assigned"] = c => c.With("waveId", (w, id) => w.Run<AssignWaveMailboxes>(async r => Assigned(await AssignWaveMailboxesEndpoint.Handle(w.TransitionId, id, r, w.Session, w.Time)))),
        ["blackout.declared"] = c => c.Run<DeclareBlackout>(async r => (await DeclareBlackoutEndpoint.Handle(c.TransitionId, r, c.Session, c.Time)).Refusal),
        ["support-case.resolved"] = c => c.With("caseId", (w, id) => w.Run<CaseNote>(async r => (await ProgressSupportCaseEndpoints.HandleResolution(w.TransitionId, id, r, w.Session, w.Time)).Refusal)),
    };

    /// <summary>An assignment is one event: refused whole (the delivery rolls back) when any of its mailboxes is not there.</summary>
    private static Refusal? Assigned(Outcome<AssignResult> outcome) =>
        outcome.Refusal ?? outcome.State!.Rows.Where(r => r.Status != 200).Select(r => new Refusal.NotFound(r.Detail)).FirstOrDefault();

    /// <summary>One mailbox of the inventory: its row's refusal, if it was not stored.</summary>
    private static async Task<Refusal?> Inventoried(WebhookCall c, InventoryMailbox mailbox)
    {
        if (!await c.Session.TransitionExists(c.TransitionId)) return Refusal.NoTransition(c.TransitionId);
        var outcome = await InventoryMailboxesEndpoint.Handle(c.TransitionId, [new ParsedRow(mailbox, null)], c.Session, new InventoryMailbox.Validator(c.Time), c.Time);
        return outcome.Refusal ?? outcome.State![0].Refused();
    }

    /// <summary>The payload field naming the item an event type is about, by the type's prefix; hybrid, directory sync and the transition are one item each.</summary>
    private static readonly IReadOnlyDictionary<string, string?> ItemFields = new Dictionary<string, string?>
    {
        ["transition"] = null, ["mailbox"] = "address", ["directory-sync"] = null, ["hybrid"] = null, ["device"] = "deviceId",
        ["component"] = "componentId", ["blocker"] = "blockerId", ["support-case"] = "caseId", ["wave"] = "waveId", ["blackout"] = "blackoutId",
    };

    /// <summary>
    /// The streams of the mailboxes a delivery moves and does nothing else with: fetched for writing ahead, together.
    /// (An event has an item only when its address is a string.)
    /// </summary>
    public static IReadOnlyCollection<string> MailboxesOnlyMoved(IReadOnlyList<WebhookEnvelope> events) =>
        events.SelectMany(e => Items(e).Select(item => (Item: item, Event: e))).GroupBy(x => x.Item).Where(item => item.Count() == 1)
            .Select(item => item.Single().Event).Where(e => e.Type == "mailbox.moved")
            .Select(e => TransitionStreams.Mailbox(e.TransitionId, e.Data["address"]!.GetValue<string>())).ToList();

    /// <summary>
    /// What an event reads without changing it: a move naming a batch reads the transition's wave names (so it sees a wave planned
    /// earlier in the delivery), which a plan changes.
    /// </summary>
    public static IReadOnlyList<string> Reads(WebhookEnvelope e) =>
        e.Type == "mailbox.moved" && e.Data["batch"] is JsonValue ? [WaveNames(e)] : [];

    private static string WaveNames(WebhookEnvelope e) => $"{e.TransitionId}/wave-names";

    /// <summary>Every item an event changes: its own (<see cref="Item"/>); for a wave assignment each of its mailboxes; for a plan the wave names.</summary>
    public static IReadOnlyList<string> Items(WebhookEnvelope e)
    {
        var items = Item(e) is { } item ? new List<string> { item } : [];
        if (e.Type == "wave.planned") items.Add(WaveNames(e));
        if (e.Type == "wave.mailboxes-assigned" && e.Data["addresses"] is JsonArray addresses)
            items.AddRange(addresses.OfType<JsonValue>().Select(a => a.TryGetValue<string>(out var address) ? $"{e.TransitionId}/mailbox/{address.Trim().ToLowerInvariant()}" : null).OfType<string>());
        return items;
    }

    /// <summary>
    /// The item (stream) an event reads and changes, as far as the payload says: a later event about the same item
    /// must see this one's changes. Null for an event that starts a new item under a fresh id.
    /// </summary>
    public static string? Item(WebhookEnvelope e)
    {
        var prefix = e.Type[..e.Type.IndexOf('.')];
        if (ItemFields[prefix] is not { } field) return $"{e.TransitionId}/{prefix}";
        return e.Data[field] is JsonValue value && value.TryGetValue<string>(out var id) ? $"{e.TransitionId}/{prefix}/{id.ToLowerInvariant()}" : null;
    }
}
