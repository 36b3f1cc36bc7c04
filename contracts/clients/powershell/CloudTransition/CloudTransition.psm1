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
        [string] $ContentType = 'application/json')
    if (-not $script:Connection) { throw 'Not connected: call Connect-CloudTransition -Uri <url> -Key <api key> first.' }
    $request = @{
        Method = $Method; Uri = "$($script:Connection.Uri)$Path"; Headers = $Headers.Clone()
        SkipHttpErrorCheck = $true; StatusCodeVariable = 'status'; ContentType = $ContentType
    }
    if (-not $Anonymous) { $request.Headers['Authorization'] = "Bearer $($script:Connection.Key)" }
    if ($RawBody) { $request.Body = [Text.Encoding]::UTF8.GetBytes($RawBody) }
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
        [string] $Batch, [string] $ErrorMessage, [Nullable[datetimeoffset]] $OccurredAt
    )
    $body = @{ status = $Status }
    if ($Batch) { $body.batch = $Batch }
    if ($ErrorMessage) { $body.error = $ErrorMessage }
    if ($OccurredAt) { $body.occurredAt = $OccurredAt.ToString('o') }
    Invoke-Ct POST "/api/transitions/$TransitionId/mailboxes/$([uri]::EscapeDataString($Address))/move" $body
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
