using System.Globalization;
using System.Text.RegularExpressions;
using CloudTransition.Contracts;

namespace CloudTransition.Api.Mailboxes;

/// <summary>How the dates of a CSV were written: the exporting machine's day order and time zone (Export-Csv writes local time, no offset).</summary>
public record ExoDates(string Order, TimeZoneInfo Zone, DateTimeOffset ReportedAt, DateTimeOffset Now);

/// <summary>One row read as a move report: the mailbox, EXO's own status word, and the report (or what is wrong with the row).</summary>
public record ExoMoveReport(int Row, string? Address, string? ExoStatus, MoveMailbox? Move, bool Held, Dictionary<string, string[]> Errors);

/// <summary>
/// What Exchange Online's statistics mean as move reports: its column names (migration users and move requests name the same
/// thing differently) and its status words mapped onto ours. Where EXO says a move is stopped or suspended, the move keeps
/// the status it has and the word is kept as its status detail (<c>Held</c>): our lifecycle has no "paused", and a paused
/// move that stays so is caught by the stall rule.
/// </summary>
public static partial class ExoMoveReports
{
    /// <summary>
    /// EXO's words → ours (null: held). Judgements: the incremental syncs after the first full sync, and finalising
    /// (Completing, CompletionInProgress, AutoSuspended when ready to complete), count as synced, so that EXO reporting them does
    /// not read as a step back; Corrupted is a failure; CompletedWithWarnings is completed (its warnings are in the detail).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, MoveStatus?> Statuses = new Dictionary<string, MoveStatus?>(StringComparer.OrdinalIgnoreCase)
    {
        // Get-MigrationUserStatistics
        ["Queued"] = MoveStatus.Queued, ["Starting"] = MoveStatus.Queued, ["Provisioning"] = MoveStatus.Syncing, ["ProvisionUpdating"] = MoveStatus.Syncing,
        ["Validating"] = MoveStatus.Syncing, ["Syncing"] = MoveStatus.Syncing, ["Synced"] = MoveStatus.Synced, ["IncrementalSyncing"] = MoveStatus.Synced,
        ["IncrementalSynced"] = MoveStatus.Synced, ["Completing"] = MoveStatus.Synced, ["CompletionSynced"] = MoveStatus.Synced,
        ["Completed"] = MoveStatus.Completed, ["CompletedWithWarnings"] = MoveStatus.Completed, ["Failed"] = MoveStatus.Failed,
        ["IncrementalFailed"] = MoveStatus.Failed, ["CompletionFailed"] = MoveStatus.Failed, ["Corrupted"] = MoveStatus.Failed,
        ["Stopped"] = null, ["Stopping"] = null, ["IncrementalStopped"] = null, ["Removing"] = null,
        // Get-MoveRequestStatistics
        ["InProgress"] = MoveStatus.Syncing, ["Retrying"] = MoveStatus.Syncing, ["CompletionInProgress"] = MoveStatus.Synced, ["AutoSuspended"] = MoveStatus.Synced,
        ["CompletedWithWarning"] = MoveStatus.Completed, ["CompletedWithSkippedItems"] = MoveStatus.Completed, ["Suspended"] = null,
    };

    private static readonly string[] AddressColumns = ["EmailAddress", "MailboxEmailAddress", "PrimarySmtpAddress", "UserPrincipalName", "Identity"];
    private static readonly string[] PercentColumns = ["PercentageComplete", "PercentComplete"];
    private static readonly string[] SyncedColumns = ["SyncedItemCount", "ItemsTransferred"];
    private static readonly string[] LastSyncColumns = ["LastSuccessfulSyncTime", "LastSuccessfulSyncTimestamp"];
    private static readonly string[] ErrorColumns = ["Error", "ErrorSummary", "Message", "FailureType"];

    public static ExoMoveReport Read(ExoRow row, ExoDates dates)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string column, string message) => errors[$"[{row.Number}].{column}"] = [message];

        var address = row.Cell(AddressColumns) is { } a && a.Contains('@') ? a : null;
        if (address is null) Fail(row.Column(AddressColumns), "No e-mail address: the row needs EmailAddress, MailboxEmailAddress, PrimarySmtpAddress or an Identity that is one.");

        var word = row.Cell("Status");
        MoveStatus? status = null;
        var held = false;
        if (word is null) Fail("Status", "No Status.");
        else if (word.All(char.IsAsciiDigit))
            Fail("Status", $"Status {word} is a number, which Exchange's versions do not number alike: export with ConvertTo-Json -EnumsAsStrings (PowerShell 7) or Select-Object @{{n='Status';e={{$_.Status.ToString()}}}}.");
        else if (!Statuses.TryGetValue(word, out status))
            Fail("Status", $"Unknown status '{word}'; Exchange Online's are {string.Join(", ", Statuses.Keys)}.");
        else held = status is null;

        var percent = Number(row, PercentColumns, 0, 100, Fail);
        var synced = Number(row, SyncedColumns, 0, long.MaxValue, Fail);
        var skipped = Number(row, ["SkippedItemCount"], 0, long.MaxValue, Fail);
        var bad = Number(row, ["BadItemsEncountered"], 0, long.MaxValue, Fail);
        var large = Number(row, ["LargeItemsEncountered"], 0, long.MaxValue, Fail);
        DataConsistencyScore? score = null;
        if (row.Cell("DataConsistencyScore") is { } s)
        {
            // By exact name: Enum.TryParse would also take "Good,Investigate" (or a number) as a value.
            var named = Enum.GetValues<DataConsistencyScore>().Where(v => v.ToString().Equals(s, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 1) score = named[0];
            else Fail("DataConsistencyScore", $"Unknown DataConsistencyScore '{s}'; Exchange Online's are Perfect, Good, Investigate and Poor.");
        }
        var lastSync = Instant(row, LastSyncColumns, dates, Fail);
        var at = Instant(row, [.. StatusTimestamps(status), "LastUpdateTimestamp", "SubscriptionLastChecked", .. LastSyncColumns], dates, Fail) ?? dates.ReportedAt;
        if (errors.Count > 0) return new ExoMoveReport(row.Number, address, word, null, held, errors);

        var detail = row.Cell("StatusDetail") ?? (held || !string.Equals(word, status.ToString(), StringComparison.OrdinalIgnoreCase) ? word : null);
        var error = status == MoveStatus.Failed ? row.Cell(ErrorColumns) ?? $"Exchange Online reports {word}." : null;
        var move = new MoveMailbox(status, row.Cell("BatchName", "BatchId"), error, null, at, (int?)percent, detail, synced, skipped, bad, large, score, lastSync);
        return new ExoMoveReport(row.Number, address, word, move, held, errors);
    }

    /// <summary>When the status itself happened, where EXO says so.</summary>
    private static string[] StatusTimestamps(MoveStatus? status) => status switch
    {
        MoveStatus.Completed => ["CompletionTimestamp"],
        MoveStatus.Failed => ["FailureTimestamp"],
        _ => [],
    };

    private static long? Number(ExoRow row, string[] columns, long min, long max, Action<string, string> fail)
    {
        if (row.Cell(columns) is not { } text) return null;
        if (long.TryParse(text.Replace(",", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        fail(row.Column(columns), $"'{text}' is not a whole number from {min} to {(max == long.MaxValue ? "any" : max)}.");
        return null;
    }

    private static DateTimeOffset? Instant(ExoRow row, string[] columns, ExoDates dates, Action<string, string> fail)
    {
        if (row.Cell(columns) is not { } text) return null;
        var at = ParseInstant(text, dates);
        if (at?.Year < 1990) return null; // Exchange writes DateTime.MinValue (1/1/0001) for "never"
        if (at is null) fail(row.Column(columns), $"'{text}' is not a date this service can read (\\/Date(ms)\\/, ISO 8601, or {dates.Order} with dateOrder).");
        else if (at > dates.Now + Common.Reported.FutureTolerance) fail(row.Column(columns), $"'{text}' is in the future.");
        else return at;
        return null;
    }

    [GeneratedRegex(@"^/?Date\((?<ms>-?\d+)(?<offset>[+-]\d{4})?\)/?$")]
    private static partial Regex MicrosoftJsonDate();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex HasOffset();

    /// <summary>
    /// 5.1's <c>\/Date(ms)\/</c>, ISO 8601 (its offset, or the exporting machine's zone), or Export-Csv's culture text in that zone;
    /// null when it is none of these or out of range.
    /// </summary>
    public static DateTimeOffset? ParseInstant(string text, ExoDates dates)
    {
        if (MicrosoftJsonDate().Match(text) is { Success: true } m)
            return long.TryParse(m.Groups["ms"].Value, out var ms) && ms >= MinMs && ms <= MaxMs ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso))
            return HasOffset().IsMatch(text) ? iso : Local(iso.DateTime, dates.Zone);
        var normalised = Regex.Replace(text.Trim(), @"^(\d+)[./-](\d+)[./-](\d+)", "$1/$2/$3");
        var day = dates.Order switch { "dmy" => "d/M/yyyy", "ymd" => "yyyy/M/d", _ => "M/d/yyyy" };
        string[] formats = [$"{day} h:mm:ss tt", $"{day} H:mm:ss", $"{day} h:mm tt", $"{day} H:mm", day];
        return DateTime.TryParseExact(normalised, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local)
            ? Local(local, dates.Zone)
            : null;
    }

    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static DateTimeOffset? Local(DateTime local, TimeZoneInfo zone)
    {
        if (local.Year < 1990) return DateTimeOffset.MinValue; // "never", whatever the zone (see Instant)
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.GetUtcOffset(unspecified);
        var utcTicks = unspecified.Ticks - offset.Ticks;
        return utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks ? null : new DateTimeOffset(unspecified, offset);
    }
}
