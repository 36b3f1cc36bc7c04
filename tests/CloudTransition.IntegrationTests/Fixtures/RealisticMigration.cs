using System.Text;

namespace CloudTransition.IntegrationTests.Fixtures;

/// <summary>
/// ABC Ltd's move, recorded entirely through the API with event-time instants: 300 mailboxes (212 completed over
/// six weeks, 5 failed), Dirsync, two hybrid endpoints (one restarted), ten relay devices covering all eight fact
/// combinations, twelve components, a BlackBerry blocker and three support cases. The user mailboxes move in three waves
/// (the second rescheduled), the third late and holding one move stalled since day 41.
/// </summary>
public class RealisticMigration(IApi api, string? key = null, DateTimeOffset? until = null)
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-09-01T08:00:00Z");
    public string Id { get; private set; } = "";
    public Dictionary<string, string> Components { get; } = [];
    public Dictionary<string, string> Devices { get; } = [];
    public Dictionary<string, string> Waves { get; } = [];
    public List<string> Cases { get; } = [];
    public static DateTimeOffset Day(int day, int hour = 9) => new(Start.Date.AddDays(day).AddHours(hour), TimeSpan.Zero);

    public const int UserMailboxes = 260, ResourceMailboxes = 30, SharedMailboxes = 10, Completed = 212, Failed = 5, Stalled = 217;

    /// <summary>The waves: name, planned start and completion (days); the second is rescheduled on day 25 to complete on day 38.</summary>
    public static readonly (string Name, int Start, int Completion)[] WavePlan =
        [("Wave 1 — Pilot", 14, 21), ("Wave 2 — Finance & HR", 21, 35), ("Wave 3 — Everyone else", 35, 49)];

    public static string WaveOf(int day) => WavePlan.Last(w => day >= w.Start || w == WavePlan[0]).Name;

    public async Task<RealisticMigration> Record()
    {
        var reply = await Post("/api/transitions", new { organisation = "ABC Ltd", domains = new[] { "abc.com" }, plannedCompletion = "2026-12-31", occurredAt = Start });
        Id = reply.Json["id"]!.GetValue<string>();
        await Post("phase", new { phase = "proof-of-concept", occurredAt = Day(1) });
        await InventoryComponents();
        await InventoryMailboxes();
        await Post("blockers", new { name = "BlackBerry Enterprise Server", kind = "lob-on-exchange", detail = "Installed on EXCH01", occurredAt = Day(2) });
        await Post("directory-sync", new { tool = "aad-connect", server = "sync01.abc.local", occurredAt = Day(4) });
        await Post("hybrid/configurations", new { exchangeVersion = "2010 SP3", endpoints = new[] { new { server = "exch02", role = "cas" }, new { server = "exch03", role = "hub" } }, occurredAt = Day(7) });
        await Post("hybrid/endpoints/exch02/restart", new { method = "iisreset", occurredAt = Day(7, 18) });
        await Post("phase", new { phase = "pilot", occurredAt = Day(8) });
        await RegisterAndRepointDevices();
        await OpenSupportCases();
        await PlanWaves();
        await Post("phase", new { phase = "migration", occurredAt = Day(14) });
        await MoveMailboxes();
        await Post($"components/{Components["SPAM01"]}/decommission", new { occurredAt = Day(30) });
        await Post($"components/{Components["DC01"]}/retain", new { reason = "AD stays the source of authority while directory sync is on", occurredAt = Day(31) });
        return this;
    }

    private async Task InventoryComponents()
    {
        (string Name, string Role, bool Physical, decimal? Tb)[] components =
        [
            ("EXCH01", "exchange-mailbox", true, null), ("EXCH02", "exchange-cas", true, null), ("EXCH03", "exchange-hub", false, null),
            ("SAN01", "san", true, 24m), ("SAN02", "san", true, 40m), ("DC01", "domain-controller", false, null),
            ("DC02", "domain-controller", true, null), ("SYNC01", "dirsync-server", false, null), ("LB01", "load-balancer", true, null),
            ("SPAM01", "spam-filter", false, null), ("BKP01", "backup-server", true, 30m), ("FW01", "firewall", true, null),
        ];
        foreach (var c in components)
        {
            var reply = await Post("components", new { name = c.Name, role = c.Role, physical = c.Physical, storageTb = c.Tb, occurredAt = Start.AddHours(1) });
            Components[c.Name] = reply.Json["componentId"]!.GetValue<string>();
        }
    }

    public static string Address(int i) => $"user{i:000}@abc.com";

    private async Task InventoryMailboxes()
    {
        var csv = new StringBuilder("address,kind,sizeGb,occurredAt\n");
        for (var i = 0; i < UserMailboxes; i++) csv.Append($"{Address(i)},user-mailbox,,{Day(1):O}\n");
        for (var i = 0; i < ResourceMailboxes; i++) csv.Append($"room{i:00}@abc.com,resource-mailbox,,{Day(1):O}\n");
        for (var i = 0; i < SharedMailboxes; i++) csv.Append($"shared{i:00}@abc.com,shared-mailbox,8,{Day(1):O}\n");
        var reply = await api.PostRaw($"/api/transitions/{Id}/mailboxes", csv.ToString(), "text/csv", key);
        Assert.True(reply.Status == 201, reply.ToString());
    }

    /// <summary>212 user mailboxes complete between day 15 and day 43 (more each week), 5 fail.</summary>
    private async Task MoveMailboxes()
    {
        for (var i = 0; i < Completed; i += 8)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(8, Completed - i)).Select(async m =>
            {
                var day = 15 + m * 28 / Completed;
                await Post($"mailboxes/{Address(m)}/move", new { status = "queued", batch = WaveOf(day), occurredAt = Day(day, 8) });
                await Post($"mailboxes/{Address(m)}/move", new { status = "completed", occurredAt = Day(day, 20) });
            }));
        }
        if (Waves.TryGetValue(WavePlan[1].Name, out var second))
            await Post($"waves/{second}/reschedule", new { plannedCompletion = Day(38, 0), reason = "Finance asked to wait until after the quarter close", occurredAt = Day(25) });
        if (Waves.TryGetValue(WavePlan[2].Name, out var third))
            await Post($"waves/{third}/mailboxes", new { addresses = Enumerable.Range(Completed, UserMailboxes - Completed).Select(Address).ToArray(), occurredAt = Day(36) });
        for (var m = Completed; m < Completed + Failed; m++)
        {
            await Post($"mailboxes/{Address(m)}/move", new { status = "queued", occurredAt = Day(40, 8) });
            await Post($"mailboxes/{Address(m)}/move", new { status = "failed", error = "Large item limit exceeded", occurredAt = Day(40, 12) });
        }
        await Post($"mailboxes/{Address(Stalled)}/move", new { status = "syncing", percentComplete = 30, statusDetail = "CopyingMessages", occurredAt = Day(41, 8) });
        await Post($"mailboxes/{Address(Stalled)}/move", new { status = "syncing", percentComplete = 30, statusDetail = "CopyingMessages", lastSyncAt = Day(42, 8), occurredAt = Day(42, 8) });
    }

    private async Task PlanWaves()
    {
        foreach (var (name, start, completion) in WavePlan)
            if (await Post("waves", new { name, plannedStart = Day(start, 0), plannedCompletion = Day(completion, 0), occurredAt = Day(13) }) is { } planned)
                Waves[name] = planned.Json["waveId"]!.GetValue<string>();
        await Post("blackouts", new { name = "Quarter close", start = Day(29, 0), end = Day(31, 0), reason = "Finance closes the quarter", occurredAt = Day(13) });
    }

    private async Task RegisterAndRepointDevices()
    {
        (string Name, bool Port, bool Auth, bool External, string? Method, string? Host, int Port2)[] devices =
        [
            ("MFP-1", true, true, true, "authenticated-submission-587", "smtp.office365.com", 587),
            ("MFP-2", true, true, false, "authenticated-submission-587", "smtp.office365.com", 587),
            ("Scanner-1", false, true, true, "authenticated-port-25", "smtp.office365.com", 25),
            ("Scanner-2", false, true, false, null, null, 0),
            ("Payroll app", true, false, false, "direct-send", "abc-com.mail.protection.outlook.com", 25),
            ("HVAC alerts", false, false, false, null, null, 0),
            ("CRM", true, false, true, "connector-relay", "abc-com.mail.protection.outlook.com", 25),
            ("Legacy fax", false, false, true, "anonymous-relay", "relay01.abc.local", 25),
            ("Monitoring", true, true, true, null, null, 0),
            ("Label printer", false, false, true, null, null, 0),
        ];
        foreach (var d in devices)
        {
            var reply = await Post("devices", new
            {
                name = d.Name, kind = "printer", canChangePort = d.Port, supportsSmtpAuth = d.Auth, sendsExternal = d.External,
                currentTarget = "exch03.abc.local:25", peakMessagesPerMinute = d.Name == "Monitoring" ? 45 : 5, occurredAt = Day(9),
            });
            if (reply is null) continue;
            Devices[d.Name] = reply.Json["device"]!["deviceId"]!.GetValue<string>();
            if (d.Method is not null)
                await Post($"devices/{Devices[d.Name]}/repoint", new { method = d.Method, host = d.Host, port = d.Port2, occurredAt = Day(20) });
        }
    }

    private async Task OpenSupportCases()
    {
        var direct = await Post("support-cases", new { title = "Free/busy fails cloud to on-prem", vendor = "Microsoft", channel = "direct", severity = "b", occurredAt = Day(8, 16) });
        if (direct is null) return;
        Cases.Add(direct.Json["caseId"]!.GetValue<string>());
        await Post($"support-cases/{Cases[0]}/response", new { occurredAt = Day(10, 10) });
        await Post($"support-cases/{Cases[0]}/resolve", new { note = "Restarted IIS on EXCH03", occurredAt = Day(11) });

        var partner = await Post("support-cases", new { title = "Mailbox move stalls", vendor = "Microsoft", channel = "partner", severity = "a", occurredAt = Day(12, 9) });
        if (partner is null) return;
        Cases.Add(partner.Json["caseId"]!.GetValue<string>());
        await Post($"support-cases/{Cases[1]}/response", new { occurredAt = Day(12, 11) });

        var waiting = await Post("support-cases", new { title = "Autodiscover fails for on-prem users", vendor = "Microsoft", channel = "direct", severity = "c", occurredAt = Day(12, 16) });
        if (waiting is not null) Cases.Add(waiting.Json["caseId"]!.GetValue<string>());
    }

    /// <summary>Posts what happened by `until`; later events are not recorded (their answer is null).</summary>
    private async Task<Reply> Post(string path, object body)
    {
        if (body.GetType().GetProperty("occurredAt")?.GetValue(body) is DateTimeOffset at && at > until) return null!;
        var url = path.StartsWith('/') ? path : $"/api/transitions/{Id}/{path}";
        var reply = await api.Post(url, body, key);
        Assert.True(reply.Status is >= 200 and < 300, $"{url}: {reply}");
        return reply;
    }
}
