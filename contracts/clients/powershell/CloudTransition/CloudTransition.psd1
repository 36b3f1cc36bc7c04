@{
    RootModule        = 'CloudTransition.psm1'
    ModuleVersion     = '1.3.0'
    GUID              = '6f0f5d1c-4e0a-4f4e-9a53-2b1c7c3e9d10'
    Author            = 'CloudTransition'
    CompanyName       = 'CloudTransition'
    Description       = 'Record and read an organisation''s move from on-premises Exchange to Office 365 through the CloudTransition API.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @(
        'Connect-CloudTransition', 'New-CtTransition', 'Import-CtMailbox', 'Set-CtMailboxMove', 'Register-CtRelayDevice',
        'Get-CtRelayAdvice', 'Send-CtEvent', 'Get-CtDependency', 'Get-CtDashboard', 'New-CtWave', 'Add-CtWaveMailbox', 'Get-CtWave',
        'Sync-CtMoveStatistics', 'Send-CtRelayLog', 'Export-CtDependency', 'Save-CtReport'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
    PrivateData       = @{ PSData = @{ Tags = @('Office365', 'Exchange', 'Migration') } }
}
