using System.Diagnostics;
using System.Text.Json.Nodes;
using CloudTransition.IntegrationTests.Faults;
using CloudTransition.IntegrationTests.Fixtures;

namespace CloudTransition.IntegrationTests.PowerShell;

/// <summary>Scripts an Exchange admin would write, run by PowerShell 7 (a .NET tool) against a real API process.</summary>
[Collection(FaultCollection.Name)]
public class PowerShellModuleTests
{
    private static readonly string Root = TestDatabase.RepositoryRoot();
    private static readonly string Pwsh = Path.Combine(Root, ".data/tools/pwsh/pwsh");
    private static readonly string Module = Path.Combine(Root, "contracts/clients/powershell/CloudTransition/CloudTransition.psd1");

    private static async Task<JsonNode> Run(string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ct-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(file, $"$ErrorActionPreference = 'Stop'\nImport-Module '{Module}'\n{script}");
        using var pwsh = Process.Start(new ProcessStartInfo(Pwsh, ["-NoProfile", "-NonInteractive", "-File", file])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await pwsh.StandardOutput.ReadToEndAsync();
        var errors = await pwsh.StandardError.ReadToEndAsync();
        await pwsh.WaitForExitAsync();
        File.Delete(file);
        Assert.True(pwsh.ExitCode == 0, $"pwsh exited {pwsh.ExitCode}: {errors}\n{output}");
        return JsonNode.Parse(output)!;
    }

    [Fact]
    public async Task an_admins_script_records_and_reads_a_migration()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi();
        using var api = new LiveApi(process.BaseUrl, harness.AdminKey);
        await harness.Prepare(api);
        var csv = Path.Combine(Path.GetTempPath(), $"mailboxes-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "address,kind,sizeGb\ncsv1@abc.com,user-mailbox,12\ncsv2@abc.com,bogus,\n");

        var result = await Run($$"""
            Connect-CloudTransition -Uri '{{process.BaseUrl}}' -Key '{{harness.TenantKey}}'
            $id = (New-CtTransition -Organisation 'Contoso' -Domain 'contoso.com' -PlannedCompletion '2027-03-31').id
            $mailboxes = @(
                [pscustomobject]@{ PrimarySmtpAddress = 'ann@contoso.com'; RecipientTypeDetails = 'UserMailbox' },
                [pscustomobject]@{ PrimarySmtpAddress = 'boardroom@contoso.com'; RecipientTypeDetails = 'RoomMailbox' },
                [pscustomobject]@{ PrimarySmtpAddress = 'sales@contoso.com'; RecipientTypeDetails = 'SharedMailbox' }
            )
            $imported = $mailboxes | Import-CtMailbox -TransitionId $id
            $fromCsv = Import-CtMailbox -TransitionId $id -Path '{{csv}}'
            $move = Set-CtMailboxMove -TransitionId $id -Address 'ann@contoso.com' -Status queued -Batch 'wave-1'
            $device = Register-CtRelayDevice -TransitionId $id -Name 'MFP' -CanChangePort $false -SupportsSmtpAuth $false -SendsExternal $true -CurrentTarget 'exch01:25'
            $advice = Get-CtRelayAdvice -CanChangePort $true -SupportsSmtpAuth $true -SendsExternal $true -PeakMessagesPerMinute 31
            $sent = Send-CtEvent -Tenant '{{harness.Tenant}}' -Source 'automation' -Secret '{{harness.Secret}}' -Type 'mailbox.moved' -TransitionId $id -Data @{ address = 'ann@contoso.com'; status = 'completed' }
            $refusal = try { Set-CtMailboxMove -TransitionId $id -Address 'ann@contoso.com' -Status syncing; 'no error' } catch { $_.Exception.Message }
            $deps = Get-CtDependency -TransitionId $id -AsOf ([datetimeoffset]::UtcNow.AddMinutes(1))
            $dashboard = Get-CtDashboard -TransitionId $id -AsOf ([datetimeoffset]::UtcNow.AddMinutes(1))
            [pscustomobject]@{
                imported = $imported.stored; csvStored = $fromCsv.stored; csvFailed = $fromCsv.failed; move = $move.status
                recommendation = $device.recommendation.method; advice = $advice.method; warnings = @($advice.warnings).Count
                appended = @($sent.appended).Count; refusal = $refusal; exchangeCanGo = $deps.exchangeCanBeDecommissioned
                mailboxesDone = ($dashboard.progress | Where-Object category -eq 'mailboxes').done
            } | ConvertTo-Json -Compress
            """);
        File.Delete(csv);

        Assert.Equal(3, result["imported"]!.GetValue<int>());
        Assert.Equal((1, 1), (result["csvStored"]!.GetValue<int>(), result["csvFailed"]!.GetValue<int>()));
        Assert.Equal("queued", result["move"]!.GetValue<string>());
        Assert.Equal("anonymous-relay", result["recommendation"]!.GetValue<string>());
        Assert.Equal("authenticated-submission-587", result["advice"]!.GetValue<string>());
        Assert.Equal(1, result["warnings"]!.GetValue<int>());
        Assert.Equal(1, result["appended"]!.GetValue<int>());
        Assert.StartsWith("409 Conflict: The move is completed", result["refusal"]!.GetValue<string>());
        Assert.False(result["exchangeCanGo"]!.GetValue<bool>());
        Assert.Equal(1, result["mailboxesDone"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_migration_leads_waves_and_exchange_onlines_statistics_go_through_the_module()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi();
        var result = await Run($$"""
            Connect-CloudTransition -Uri '{{process.BaseUrl}}' -Key '{{harness.AdminKey}}'
            # What Get-MigrationUser | Get-MigrationUserStatistics passes down the pipeline: Exchange's enum, DateTimes, sizes as text.
            enum MigrationUserStatus { Queued; Syncing; Synced; Completed; Failed }
            $id = (New-CtTransition -Organisation 'Fabrikam' -Domain 'fabrikam.com').id
            $null = @('ann@fabrikam.com', 'bob@fabrikam.com', 'cat@fabrikam.com') | ForEach-Object { [pscustomobject]@{ PrimarySmtpAddress = $_; RecipientTypeDetails = 'UserMailbox' } } | Import-CtMailbox -TransitionId $id
            $wave = New-CtWave -TransitionId $id -Name 'Finance' -PlannedStart '2026-10-01T00:00:00Z' -PlannedCompletion '2026-10-15T00:00:00Z' -Description 'Finance and delegates'
            $assigned = 'ann@fabrikam.com', 'bob@fabrikam.com' | Add-CtWaveMailbox -TransitionId $id -WaveId $wave.waveId
            $stats = @(
                [pscustomobject]@{ Identity = 'ann@fabrikam.com'; EmailAddress = 'ann@fabrikam.com'; Status = [MigrationUserStatus]::Syncing; PercentageComplete = 40
                    SyncedItemCount = [long]1200; SkippedItemCount = [long]0; BytesTransferred = '2.5 GB (2,684,354,560 bytes)'; LastSuccessfulSyncTime = [datetime]::SpecifyKind([datetime]'2026-10-02 06:30:00', 'Utc') },
                [pscustomobject]@{ Identity = 'bob@fabrikam.com'; EmailAddress = 'bob@fabrikam.com'; Status = [MigrationUserStatus]::Completed; PercentageComplete = 100
                    SyncedItemCount = [long]900; SkippedItemCount = [long]1; LastSuccessfulSyncTime = [datetime]::SpecifyKind([datetime]'2026-10-03 18:00:00', 'Utc') },
                [pscustomobject]@{ Identity = 'zed@fabrikam.com'; EmailAddress = 'zed@fabrikam.com'; Status = [MigrationUserStatus]::Synced; PercentageComplete = 95 }
            )
            $synced = $stats | Sync-CtMoveStatistics -TransitionId $id
            $waves = Get-CtWave -TransitionId $id -AsOf ([datetimeoffset]::UtcNow.AddMinutes(1)) # folded from the events: the live counts follow within moments
            [pscustomobject]@{
                state = $wave.state; assigned = $assigned.assigned; recorded = $synced.recorded; failed = $synced.failed
                missing = ($synced.rows | Where-Object status -eq 404).address
                completed = $waves[0].mailboxes.completed; total = $waves[0].mailboxes.total
            } | ConvertTo-Json -Compress
            """);

        Assert.Equal(("planned", 2), (result["state"]!.GetValue<string>(), result["assigned"]!.GetValue<int>())); // no mailboxes yet when planned
        Assert.Equal((2, 1, "zed@fabrikam.com"), (result["recorded"]!.GetValue<int>(), result["failed"]!.GetValue<int>(), result["missing"]!.GetValue<string>()));
        Assert.Equal((1, 2), (result["completed"]!.GetValue<int>(), result["total"]!.GetValue<int>()));
    }

    [Fact]
    public async Task send_ct_relay_log_gzips_several_log_files_on_the_wire_and_answers_the_discovery()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi();
        var folder = Directory.CreateTempSubdirectory("SmtpReceive-").FullName;
        var at = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
        // Two hourly files, the second without a final line break, the way a copy cut mid-write leaves one.
        await File.WriteAllTextAsync(Path.Combine(folder, "RECV2026110208-1.LOG"),
            ExchangeLogs.ReceiveHeader + ExchangeLogs.Session(at, "10.0.1.50", "mfp-2ndfloor.abc.local", 25, false, "scanner@abc.com", ["ann@abc.com"]));
        await File.WriteAllTextAsync(Path.Combine(folder, "RECV2026110209-1.LOG"),
            (ExchangeLogs.ReceiveHeader + ExchangeLogs.Session(at.AddHours(1), "10.0.2.20", "erp01", 587, true, "erp@abc.com", ["orders@customer.example"])).TrimEnd('\n'));
        var csv = Path.Combine(folder, "deps.csv");
        var pdf = Path.Combine(folder, "status.pdf");
        var result = await Run($$"""
            Connect-CloudTransition -Uri '{{process.BaseUrl}}' -Key '{{harness.AdminKey}}'
            $id = (New-CtTransition -Organisation 'Contoso' -Domain 'abc.com').id
            $found = Send-CtRelayLog -TransitionId $id -Path '{{folder}}/RECV*.LOG'
            $again = Send-CtRelayLog -TransitionId $id -Path '{{folder}}/RECV*.LOG'
            $missing = try { Send-CtRelayLog -TransitionId $id -Path '{{folder}}/nothing*.LOG'; 'no error' } catch { $_.Exception.Message }
            $null = Export-CtDependency -TransitionId $id -Path '{{csv}}' -AsOf ([datetimeoffset]::UtcNow.AddMinutes(1))
            $null = Save-CtReport -TransitionId $id -Path '{{pdf}}'
            $noReport = try { Save-CtReport -TransitionId 'nope' -Path '{{pdf}}.x'; 'no error' } catch { $_.Exception.Message }
            [pscustomobject]@{
                senders = @($found.senders.remoteIp); malformed = $found.malformed; same = ($found.discoveryId -eq $again.discoveryId); missing = $missing
                unknown = @(Import-Csv '{{csv}}' | Where-Object category -eq 'unknownSenders').Count; noReport = $noReport
            } | ConvertTo-Json -Compress
            """);
        Assert.Equal(["10.0.1.50", "10.0.2.20"], result["senders"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal((0, true), (result["malformed"]!.GetValue<int>(), result["same"]!.GetValue<bool>()));
        Assert.Contains("No log file", result["missing"]!.GetValue<string>());
        Assert.Equal(2, result["unknown"]!.GetValue<int>());
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(pdf)[..4]));
        Assert.StartsWith("404 ", result["noReport"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_refused_field_surfaces_as_a_powershell_error_naming_it()
    {
        await using var harness = await FaultHarness.Create();
        await using var process = await harness.StartApi();
        var result = await Run($$"""
            Connect-CloudTransition -Uri '{{process.BaseUrl}}' -Key '{{harness.AdminKey}}'
            $message = try { New-CtTransition -Organisation 'X' -Domain 'not a domain'; 'no error' } catch { $_.Exception.Message }
            $category = try { Get-CtDashboard -TransitionId 'nope' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ message = $message; id = $category } | ConvertTo-Json -Compress
            """);
        Assert.StartsWith("400 ", result["message"]!.GetValue<string>());
        Assert.Contains("domains[0]:", result["message"]!.GetValue<string>());
        Assert.StartsWith("CloudTransition.404", result["id"]!.GetValue<string>());
    }
}
