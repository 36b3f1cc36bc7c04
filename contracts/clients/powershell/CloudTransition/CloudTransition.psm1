# CloudTransition PowerShell module: thin, typed wrappers over the REST API for Exchange admins' scripts.
Set-StrictMode -Version Latest
$script:Connection = $null

function Connect-CloudTransition {
    <# .SYNOPSIS Remembers the service URL and API key for the other commands of this session. #>
    param([Parameter(Mandatory)][string] $Uri, [Parameter(Mandatory)][string] $Key)
    $script:Connection = @{ Uri = $Uri.TrimEnd('/'); Key = $Key }
}

function Invoke-Ct {
    param([string] $Method, [string] $Path, $Body, [hashtable] $Headers = @{}, [switch] $Anonymous, [string] $RawBody,
        [string] $ContentType = 'application/json', [string] $InFile)
    if (-not $script:Connection) { throw 'Not connected: call Connect-CloudTransition -Uri <url> -Key <api key> first.' }
    $request = @{
        Method = $Method; Uri = "$($script:Connection.Uri)$Path"; Headers = $Headers.Clone()
        SkipHttpErrorCheck = $true; StatusCodeVariable = 'status'; ContentType = $ContentType
    }
    if (-not $Anonymous) { $request.Headers['Authorization'] = "Bearer $($script:Connection.Key)" }
    if ($InFile) { $request.InFile = $InFile }
    elseif ($RawBody) { $request.Body = [Text.Encoding]::UTF8.GetBytes($RawBody) }
    elseif ($null -ne $Body) { $request.Body = [Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 10 -Compress)) }
    $answer = Invoke-RestMethod @request
    if ($status -ge 400) { Write-CtProblem -Status $status -Problem $answer }
    $answer
}

function Write-CtProblem {
    param([int] $Status, $Problem)
    $text = "$Status $($Problem.title)"
    if ($Problem.PSObject.Properties['detail'] -and $Problem.detail) { $text += ": $($Problem.detail)" }
    if ($Problem.PSObject.Properties['errors'] -and $Problem.errors) {
        $fields = $Problem.errors.PSObject.Properties | ForEach-Object { "$($_.Name): $($_.Value -join ' ')" }
        $text += " [$($fields -join '; ')]"
    }
    $record = [Management.Automation.ErrorRecord]::new([InvalidOperationException]::new($text), "CloudTransition.$Status",
        [Management.Automation.ErrorCategory]::InvalidOperation, $Problem)
    $PSCmdlet.ThrowTerminatingError($record)
}

function Get-AsOfQuery([Nullable[datetimeoffset]] $AsOf) {
    if ($AsOf) { "?asOf=$([uri]::EscapeDataString($AsOf.ToString('o')))" } else { '' }
}

function New-CtTransition {
    <# .SYNOPSIS Starts tracking an organisation's move; answers the new transition's id. #>
    param([Parameter(Mandatory)][string] $Organisation, [Parameter(Mandatory)][string[]] $Domain, [Nullable[datetime]] $PlannedCompletion)
    $body = @{ organisation = $Organisation; domains = @($Domain) }
    if ($PlannedCompletion) { $body.plannedCompletion = $PlannedCompletion.ToString('yyyy-MM-dd') }
    Invoke-Ct POST '/api/transitions' $body
}

function ConvertTo-CtMailboxKind([string] $RecipientTypeDetails) {
    switch ($RecipientTypeDetails) {
        { $_ -in 'RoomMailbox', 'EquipmentMailbox', 'resource-mailbox' } { return 'resource-mailbox' }
        { $_ -in 'SharedMailbox', 'shared-mailbox' } { return 'shared-mailbox' }
        { $_ -in 'UserMailbox', 'LinkedMailbox', 'RemoteUserMailbox', 'user-mailbox' } { return 'user-mailbox' }
        default { return $RecipientTypeDetails }
    }
}

function Import-CtMailbox {
    <#
    .SYNOPSIS Inventories mailboxes from a CSV file (address,kind,sizeGb) or from piped objects, e.g.
    Get-Mailbox | Select-Object PrimarySmtpAddress, RecipientTypeDetails | Import-CtMailbox -TransitionId $id
    Answers the per-row results; rows the service refused are listed with their errors.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Pipeline')]
    param(
        [Parameter(Mandatory)][string] $TransitionId,
        [Parameter(Mandatory, ParameterSetName = 'Csv')][string] $Path,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'Pipeline')] $InputObject
    )
    begin { $rows = [Collections.Generic.List[object]]::new() }
    process {
        if ($PSCmdlet.ParameterSetName -eq 'Pipeline') {
            $address = if ($InputObject.PSObject.Properties['PrimarySmtpAddress']) { [string]$InputObject.PrimarySmtpAddress } else { [string]$InputObject.Address }
            $type = if ($InputObject.PSObject.Properties['RecipientTypeDetails']) { [string]$InputObject.RecipientTypeDetails } else { [string]$InputObject.Kind }
            $row = @{ address = $address; kind = (ConvertTo-CtMailboxKind $type) }
            if ($InputObject.PSObject.Properties['SizeGb'] -and $InputObject.SizeGb) { $row.sizeGb = [decimal]$InputObject.SizeGb }
            $rows.Add($row)
        }
    }
    end {
        if ($PSCmdlet.ParameterSetName -eq 'Csv') {
            return Invoke-Ct POST "/api/transitions/$TransitionId/mailboxes" -RawBody (Get-Content -Raw -LiteralPath $Path) -ContentType 'text/csv'
        }
        Invoke-Ct POST "/api/transitions/$TransitionId/mailboxes" @(, $rows.ToArray())
    }
}

function Set-CtMailboxMove {
    <# .SYNOPSIS Reports a mailbox move's status: queued, syncing, synced, completed or failed (with -ErrorMessage). #>
    param(
        [Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][string] $Address,
        [Parameter(Mandatory)][ValidateSet('queued', 'syncing', 'synced', 'completed', 'failed')][string] $Status,
        [string] $Batch, [string] $ErrorMessage, [Nullable[datetimeoffset]] $OccurredAt, [Nullable[int]] $PercentComplete, [string] $StatusDetail
    )
    $body = @{ status = $Status }
    if ($null -ne $PercentComplete) { $body.percentComplete = $PercentComplete }
    if ($StatusDetail) { $body.statusDetail = $StatusDetail }
    if ($Batch) { $body.batch = $Batch }
    if ($ErrorMessage) { $body.error = $ErrorMessage }
    if ($OccurredAt) { $body.occurredAt = $OccurredAt.ToString('o') }
    Invoke-Ct POST "/api/transitions/$TransitionId/mailboxes/$([uri]::EscapeDataString($Address))/move" $body
}

function Get-CtAddress($InputObject) {
    if ($InputObject -is [string]) { return $InputObject }
    foreach ($name in 'PrimarySmtpAddress', 'EmailAddress', 'MailboxEmailAddress', 'Address', 'Identity') {
        if ($InputObject.PSObject.Properties[$name] -and $InputObject.$name) { return [string]$InputObject.$name }
    }
    throw "No address on the object: give PrimarySmtpAddress, EmailAddress or Address."
}

function New-CtWave {
    <# .SYNOPSIS Plans a migration wave: a name unique in the transition, a planned start and completion; answers the wave (waveId, state, …). #>
    param(
        [Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][datetimeoffset] $PlannedStart, [Parameter(Mandatory)][datetimeoffset] $PlannedCompletion, [string] $Description
    )
    $body = @{ name = $Name; plannedStart = $PlannedStart.ToString('o'); plannedCompletion = $PlannedCompletion.ToString('o') }
    if ($Description) { $body.description = $Description }
    Invoke-Ct POST "/api/transitions/$TransitionId/waves" $body
}

function Add-CtWaveMailbox {
    <#
    .SYNOPSIS Puts mailboxes in a wave (taking each out of the one it was in), by -Address or from the pipeline, e.g.
    Get-Mailbox -Filter "Department -eq 'Finance'" | Add-CtWaveMailbox -TransitionId $id -WaveId $wave.waveId
    Answers the per-address results (5000 addresses per request).
    #>
    [CmdletBinding(DefaultParameterSetName = 'Pipeline')]
    param(
        [Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][string] $WaveId,
        [Parameter(Mandatory, ParameterSetName = 'Address')][string[]] $Address,
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'Pipeline')] $InputObject
    )
    begin { $addresses = [Collections.Generic.List[string]]::new() }
    process { if ($PSCmdlet.ParameterSetName -eq 'Pipeline') { $addresses.Add((Get-CtAddress $InputObject)) } }
    end {
        if ($PSCmdlet.ParameterSetName -eq 'Address') { $addresses.AddRange($Address) }
        for ($i = 0; $i -lt $addresses.Count; $i += 5000) {
            $chunk = $addresses.GetRange($i, [Math]::Min(5000, $addresses.Count - $i)).ToArray()
            Invoke-Ct POST "/api/transitions/$TransitionId/waves/$([uri]::EscapeDataString($WaveId))/mailboxes" @{ addresses = $chunk }
        }
    }
}

function Get-CtWave {
    <# .SYNOPSIS The transition's waves, plan against actual (or one with -WaveId, with its mailboxes); -AsOf for the past. #>
    param([Parameter(Mandatory)][string] $TransitionId, [string] $WaveId, [Nullable[datetimeoffset]] $AsOf)
    $path = if ($WaveId) { "/api/transitions/$TransitionId/waves/$([uri]::EscapeDataString($WaveId))" } else { "/api/transitions/$TransitionId/waves" }
    Invoke-Ct GET "$path$(Get-AsOfQuery $AsOf)"
}

function ConvertTo-CtStatisticsRow($InputObject) {
    # Exchange's objects as plain values: dates as ISO 8601 with their offset, enums and sizes by their text.
    $row = [ordered]@{}
    foreach ($property in $InputObject.PSObject.Properties) {
        $value = $property.Value
        if ($null -eq $value) { continue }
        $row[$property.Name] = switch ($value) {
            { $_ -is [datetime] } { ([datetimeoffset]$_).ToString('o'); break }
            { $_ -is [datetimeoffset] } { $_.ToString('o'); break }
            { $_ -is [int] -or $_ -is [long] -or $_ -is [decimal] -or $_ -is [double] } { $_; break }
            default { [string]$_ }
        }
    }
    $row
}

function Sync-CtMoveStatistics {
    <#
    .SYNOPSIS Records Exchange Online's move statistics from the pipeline, e.g.
    Get-MigrationUser | Get-MigrationUserStatistics | Sync-CtMoveStatistics -TransitionId $id
    Get-MoveRequest | Get-MoveRequestStatistics | Sync-CtMoveStatistics -TransitionId $id
    Answers the per-row results (5000 rows per request); older rows than what is recorded change nothing.
    #>
    param([Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory, ValueFromPipeline)] $InputObject)
    begin { $rows = [Collections.Generic.List[object]]::new() }
    process { $rows.Add((ConvertTo-CtStatisticsRow $InputObject)) }
    end {
        for ($i = 0; $i -lt $rows.Count; $i += 5000) {
            $chunk = $rows.GetRange($i, [Math]::Min(5000, $rows.Count - $i)).ToArray()
            Invoke-Ct POST "/api/transitions/$TransitionId/mailboxes/statistics" @(, $chunk)
        }
    }
}

function Send-CtRelayLog {
    <#
    .SYNOPSIS Sends Exchange's own logs to find every device relaying through it, e.g.
    Send-CtRelayLog -TransitionId $id -Path '\\EXCH01\C$\Program Files\Microsoft\Exchange Server\V15\TransportRoles\Logs\FrontEnd\ProtocolLog\SmtpReceive\*.LOG'
    SMTP Receive protocol logs and message tracking logs, several files (wildcards, several paths), gzipped on the wire through a
    temporary file so a gigabyte of logs never sits in memory. Answers the discovery: each sender with its facts and the advisor's
    recommendation; the same logs again answer the same discovery and record nothing.
    #>
    param([Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory, ValueFromPipeline)][string[]] $Path)
    begin { $files = [Collections.Generic.List[string]]::new() }
    process {
        foreach ($p in $Path) {
            $found = @(Resolve-Path -Path $p -ErrorAction Stop | Where-Object { Test-Path -LiteralPath $_.ProviderPath -PathType Leaf })
            if ($found.Count -eq 0) { throw "No log file at '$p'." }
            $found | Sort-Object ProviderPath | ForEach-Object { $files.Add($_.ProviderPath) }
        }
    }
    end {
        $temporary = [IO.Path]::GetTempFileName()
        try {
            $out = [IO.File]::Create($temporary)
            $gzip = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionLevel]::Fastest)
            try {
                foreach ($file in $files) {
                    $in = [IO.File]::OpenRead($file)
                    try { $in.CopyTo($gzip) } finally { $in.Dispose() }
                    $gzip.WriteByte(10) # a file without a final line break must not run into the next one's header
                }
            } finally { $gzip.Dispose(); $out.Dispose() }
            Invoke-Ct POST "/api/transitions/$TransitionId/relay-discovery" -InFile $temporary -ContentType 'text/plain' -Headers @{ 'Content-Encoding' = 'gzip' }
        } finally { Remove-Item -LiteralPath $temporary -ErrorAction SilentlyContinue }
    }
}

function Save-CtFile {
    param([string] $Path, [string] $Url, [string] $Accept)
    if (-not $script:Connection) { throw 'Not connected: call Connect-CloudTransition -Uri <url> -Key <api key> first.' }
    $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $response = Invoke-WebRequest -Uri "$($script:Connection.Uri)$Url" -Headers @{ Authorization = "Bearer $($script:Connection.Key)"; Accept = $Accept } `
        -OutFile $target -PassThru -SkipHttpErrorCheck
    if ($response.StatusCode -ge 400) {
        $problem = Get-Content -Raw -LiteralPath $target | ConvertFrom-Json
        Remove-Item -LiteralPath $target
        Write-CtProblem -Status $response.StatusCode -Problem $problem
    }
    Get-Item -LiteralPath $target
}

function Export-CtDependency {
    <# .SYNOPSIS Saves a transition's remaining dependencies as a CSV file Excel opens (UTF-8 with a byte order mark), e.g. Export-CtDependency -TransitionId $id -Path deps.csv #>
    param([Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][string] $Path, [Nullable[datetimeoffset]] $AsOf)
    Save-CtFile -Path $Path -Url "/api/transitions/$TransitionId/dependencies$(Get-AsOfQuery $AsOf)" -Accept 'text/csv'
}

function Save-CtReport {
    <# .SYNOPSIS Saves the PDF status report of a transition (or, without -TransitionId, of the tenant's portfolio), e.g. Save-CtReport -TransitionId $id -Path status.pdf #>
    param([string] $TransitionId, [Parameter(Mandatory)][string] $Path, [Nullable[datetimeoffset]] $AsOf)
    $url = if ($TransitionId) { "/api/transitions/$TransitionId/report" } else { '/api/portfolio/report' }
    Save-CtFile -Path $Path -Url "$url$(Get-AsOfQuery $AsOf)" -Accept 'application/pdf'
}

function Register-CtRelayDevice {
    <# .SYNOPSIS Registers a printer, scanner or application that relays through Exchange; answers it with the advisor's recommendation. #>
    param(
        [Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][string] $Name,
        [ValidateSet('printer', 'scanner', 'application', 'other')][string] $Kind = 'printer',
        [Parameter(Mandatory)][bool] $CanChangePort, [Parameter(Mandatory)][bool] $SupportsSmtpAuth, [Parameter(Mandatory)][bool] $SendsExternal,
        [Parameter(Mandatory)][string] $CurrentTarget, [Nullable[int]] $MessagesPerDay, [Nullable[int]] $PeakMessagesPerMinute, [Nullable[int]] $MaxRecipientsPerMessage
    )
    $body = @{ name = $Name; kind = $Kind; canChangePort = $CanChangePort; supportsSmtpAuth = $SupportsSmtpAuth; sendsExternal = $SendsExternal; currentTarget = $CurrentTarget }
    if ($null -ne $MessagesPerDay) { $body.messagesPerDay = $MessagesPerDay }
    if ($null -ne $PeakMessagesPerMinute) { $body.peakMessagesPerMinute = $PeakMessagesPerMinute }
    if ($null -ne $MaxRecipientsPerMessage) { $body.maxRecipientsPerMessage = $MaxRecipientsPerMessage }
    Invoke-Ct POST "/api/transitions/$TransitionId/devices" $body
}

function Get-CtRelayAdvice {
    <# .SYNOPSIS Asks the relay advisor how a device should send mail once on-prem Exchange is gone (stores nothing). #>
    param(
        [Parameter(Mandatory)][bool] $CanChangePort, [Parameter(Mandatory)][bool] $SupportsSmtpAuth, [Parameter(Mandatory)][bool] $SendsExternal,
        [Nullable[int]] $MessagesPerDay, [Nullable[int]] $PeakMessagesPerMinute, [Nullable[int]] $MaxRecipientsPerMessage
    )
    $body = @{ canChangePort = $CanChangePort; supportsSmtpAuth = $SupportsSmtpAuth; sendsExternal = $SendsExternal }
    if ($null -ne $MessagesPerDay) { $body.messagesPerDay = $MessagesPerDay }
    if ($null -ne $PeakMessagesPerMinute) { $body.peakMessagesPerMinute = $PeakMessagesPerMinute }
    if ($null -ne $MaxRecipientsPerMessage) { $body.maxRecipientsPerMessage = $MaxRecipientsPerMessage }
    Invoke-Ct POST '/api/relay-advice' $body
}

function Send-CtEvent {
    <# .SYNOPSIS Posts one event as a signed webhook (Standard Webhooks) with a source's whsec_ secret; retries are safe with the same -WebhookId. #>
    param(
        [Parameter(Mandatory)][string] $Tenant, [Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][string] $Secret,
        [Parameter(Mandatory)][string] $Type, [Parameter(Mandatory)][string] $TransitionId, [Parameter(Mandatory)][hashtable] $Data,
        [string] $WebhookId = "msg_$([guid]::NewGuid().ToString('N'))", [Nullable[datetimeoffset]] $OccurredAt
    )
    $payload = @{ type = $Type; transitionId = $TransitionId; data = $Data }
    if ($OccurredAt) { $payload.occurredAt = $OccurredAt.ToString('o') }
    $body = $payload | ConvertTo-Json -Depth 10 -Compress
    $timestamp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    $hmac = [Security.Cryptography.HMACSHA256]::new([Convert]::FromBase64String($Secret.Substring('whsec_'.Length)))
    try { $signature = [Convert]::ToBase64String($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes("$WebhookId.$timestamp.$body"))) }
    finally { $hmac.Dispose() }
    $headers = @{ 'webhook-id' = $WebhookId; 'webhook-timestamp' = "$timestamp"; 'webhook-signature' = "v1,$signature" }
    Invoke-Ct POST "/api/webhooks/$Tenant/$Source" -RawBody $body -Headers $headers -Anonymous
}

function Get-CtDependency {
    <# .SYNOPSIS What still ties the organisation to its own servers, and whether Exchange can be decommissioned; -AsOf for the past. #>
    param([Parameter(Mandatory)][string] $TransitionId, [Nullable[datetimeoffset]] $AsOf)
    Invoke-Ct GET "/api/transitions/$TransitionId/dependencies$(Get-AsOfQuery $AsOf)"
}

function Get-CtDashboard {
    <# .SYNOPSIS Progress, burn-down, velocity, forecast, risks and support cases of a transition; -AsOf for the past. #>
    param([Parameter(Mandatory)][string] $TransitionId, [Nullable[datetimeoffset]] $AsOf)
    Invoke-Ct GET "/api/transitions/$TransitionId/dashboard$(Get-AsOfQuery $AsOf)"
}
