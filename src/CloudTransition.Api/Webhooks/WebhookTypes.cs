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

    /// <summary>Reads the command from `data`, validates it like the endpoint does, and runs the endpoint's handler.</summary>
    public async Task<IResult> Run<T, TResult>(Func<T, Task<TResult>> handler) where TResult : IResult
    {
        T? command;
        try { command = data.Deserialize<T>(json); }
        catch (JsonException e)
        {
            var (field, message) = JsonErrors.Describe(typeof(T), e);
            return Problem.Invalid(field == "body" ? "data" : field, message);
        }
        if (command is null) return Problem.Invalid("data", "data must be an object.");
        var validation = await services.GetRequiredService<IValidator<T>>().ValidateAsync(command);
        if (!validation.IsValid) return TypedResults.ValidationProblem(validation.ToDictionary());
        return await handler(command);
    }

    /// <summary>
    /// A value the endpoint takes from its route (an address, a device id), here a field of `data`: taken out of `data`, so
    /// the rest is read as the endpoint's body (where an unknown field is refused).
    /// </summary>
    public Task<IResult> With(string field, Func<WebhookCall, string, Task<IResult>> then)
    {
        if (data[field] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length is 0 or > 320)
            return Task.FromResult<IResult>(Problem.Invalid(field, $"data.{field} is required."));
        var rest = (JsonObject)data.DeepClone();
        rest.Remove(field);
        return then(new WebhookCall(session, services, json, time, transitionId, rest), text);
    }
}

/// <summary>Every event type automation may post, each mapped to the command of the matching endpoint.</summary>
public static class WebhookTypes
{
    public static readonly IReadOnlyDictionary<string, Func<WebhookCall, Task<IResult>>> All = new Dictionary<string, Func<WebhookCall, Task<IResult>>>
    {
        ["transition.phase-changed"] = c => c.Run<ChangePhase, IResult>(async r => await ChangePhaseEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["mailbox.inventoried"] = c => c.Run<InventoryMailbox, IResult>(r => InventoryMailboxesEndpoint.Inventory(c.TransitionId,
            new ParsedInventory(true, [new ParsedRow(r, null)]), c.Session, new InventoryMailbox.Validator(c.Time), c.Time)),
        ["mailbox.moved"] = c => c.With("address", (w, a) => w.Run<MoveMailbox, IResult>(async r => await MoveMailboxEndpoint.Post(w.TransitionId, a, r, w.Session, w.Time))),
        ["directory-sync.enabled"] = c => c.Run<EnableDirectorySync, IResult>(async r => await EnableDirectorySyncEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["directory-sync.disabled"] = c => c.Run<DisableDirectorySync, IResult>(async r => await DisableDirectorySyncEndpoint.Delete(c.TransitionId, r.OccurredAt, c.Session, c.Time)),
        ["hybrid.configured"] = c => c.Run<RunHybridWizard, IResult>(async r => await RunHybridWizardEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["hybrid.endpoint-restarted"] = c => c.With("server", (w, s) => w.Run<RestartEndpoint, IResult>(async r => await RestartEndpointEndpoint.Post(w.TransitionId, s, r, w.Session, w.Time))),
        ["hybrid.checked"] = c => c.Run<RecordHybridCheck, IResult>(async r => await RecordHybridCheckEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["device.registered"] = c => c.Run<RegisterDevice, IResult>(async r => await RegisterDeviceEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["device.repointed"] = c => c.With("deviceId", (w, d) => w.Run<RepointDevice, IResult>(async r => await RepointDeviceEndpoint.Post(w.TransitionId, d, r, w.Session, w.Time))),
        ["device.retired"] = c => c.With("deviceId", (w, d) => w.Run<RetireDevice, IResult>(async r => await RetireDeviceEndpoint.Post(w.TransitionId, d, r, w.Session, w.Time))),
        ["component.inventoried"] = c => c.Run<InventoryComponent, IResult>(async r => await InventoryComponentEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["component.decommissioned"] = c => c.With("componentId", (w, id) => w.Run<DecommissionComponent, IResult>(async r => await DecommissionComponentEndpoint.Post(w.TransitionId, id, r, w.Session, w.Time))),
        ["component.retained"] = c => c.With("componentId", (w, id) => w.Run<RetainComponent, IResult>(async r => await RetainComponentEndpoint.Post(w.TransitionId, id, r, w.Session, w.Time))),
        ["blocker.raised"] = c => c.Run<RaiseBlocker, IResult>(async r => await RaiseBlockerEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["blocker.resolved"] = c => c.With("blockerId", (w, id) => w.Run<ResolveBlocker, IResult>(async r => await ResolveBlockerEndpoint.Post(w.TransitionId, id, r, w.Session, w.Time))),
        ["support-case.opened"] = c => c.Run<OpenSupportCase, IResult>(async r => await OpenSupportCaseEndpoint.Post(c.TransitionId, r, c.Session, c.Time)),
        ["support-case.responded"] = c => c.With("caseId", (w, id) => w.Run<CaseNote, IResult>(async r => await ProgressSupportCaseEndpoints.Respond(w.TransitionId, id, r, w.Session, w.Time))),
        ["support-case.escalated"] = c => c.With("caseId", (w, id) => w.Run<CaseNote, IResult>(async r => await ProgressSupportCaseEndpoints.Escalate(w.TransitionId, id, r, w.Session, w.Time))),
        ["support-case.resolved"] = c => c.With("caseId", (w, id) => w.Run<CaseNote, IResult>(async r => await ProgressSupportCaseEndpoints.Resolve(w.TransitionId, id, r, w.Session, w.Time))),
    };

    /// <summary>The payload field naming the item an event type is about, by the type's prefix; hybrid, directory sync and the transition are one item each.</summary>
    private static readonly IReadOnlyDictionary<string, string?> ItemFields = new Dictionary<string, string?>
    {
        ["transition"] = null, ["mailbox"] = "address", ["directory-sync"] = null, ["hybrid"] = null, ["device"] = "deviceId",
        ["component"] = "componentId", ["blocker"] = "blockerId", ["support-case"] = "caseId",
    };

    /// <summary>
    /// The streams of the mailboxes a delivery moves and does nothing else with: fetched for writing ahead, together.
    /// (An event has an item only when its address is a string.)
    /// </summary>
    public static IReadOnlyCollection<string> MailboxesOnlyMoved(IReadOnlyList<WebhookEnvelope> events) =>
        events.GroupBy(Item).Where(item => item.Key is not null && item.Count() == 1).Select(item => item.Single())
            .Where(e => e.Type == "mailbox.moved")
            .Select(e => TransitionStreams.Mailbox(e.TransitionId, e.Data["address"]!.GetValue<string>())).ToList();

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
