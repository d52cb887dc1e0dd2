# Prints the HTTPS endpoint to paste into Partner Center (Offer setup → Customer leads → HTTPS endpoint): the
# webhook's URL with a function key named for Partner Center. The key is created on the first run and never replaced
# after that (replacing it would break the URL already saved in Partner Center). The URL contains a secret: it is
# printed to this terminal only, never written to a file.
#
# Needs the Azure CLI signed in to the subscription azd deployed to (AZURE_SUBSCRIPTION_ID). Since Azure CLI 2.54
# `az functionapp function keys set` no longer prints the key, so the key is always read with `keys list`. The key
# list is parsed with ConvertFrom-Json rather than a --query: PowerShell before 7.3 mangles embedded quotes in native
# arguments, and a quoted JMESPath name then finds nothing.
$ErrorActionPreference = 'Stop'

$resourceGroup = $env:AZURE_RESOURCE_GROUP
$appName = $env:AZURE_FUNCTION_APP_NAME
if (-not $resourceGroup -or -not $appName) {
    Write-Host 'Run through azd (azd up / azd deploy), or set AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME.'
    exit 1
}
$functionName = 'marketplaceLeadWebhook'
$keyName = if ($env:WEBHOOK_KEY_NAME) { $env:WEBHOOK_KEY_NAME } else { 'partner-center' }
$waitSeconds = if ($env:POSTDEPLOY_WAIT_SECONDS) { [int]$env:POSTDEPLOY_WAIT_SECONDS } else { 10 }
$subscription = $env:AZURE_SUBSCRIPTION_ID
if ($keyName -notmatch '^[A-Za-z0-9_.-]+$') {
    Write-Host "WEBHOOK_KEY_NAME may hold only letters, digits, '-', '_' and '.'"
    exit 1
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Write-Host "Azure CLI (az) not found. Install it (https://aka.ms/azcli), run 'az login', then: azd hooks run postdeploy"
    exit 1
}

# Every az call names the subscription azd used, whatever the CLI's default subscription is.
$subscriptionArgs = if ($subscription) { @('--subscription', $subscription) } else { @() }
$appArgs = @('-g', $resourceGroup, '-n', $appName, '--function-name', $functionName) + $subscriptionArgs

az account show -o none @subscriptionArgs 2>$null
if ($LASTEXITCODE -ne 0) {
    $where = if ($subscription) { " to subscription $subscription, the one azd deployed to" } else { '' }
    $tenant = if ($env:AZURE_TENANT_ID) { " --tenant $($env:AZURE_TENANT_ID)" } else { '' }
    Write-Host "The Azure CLI is not signed in$where. Run:"
    Write-Host ''
    Write-Host "  az login$tenant"
    Write-Host '  azd hooks run postdeploy'
    exit 1
}

# Right after a deployment the host may still be indexing functions: retry for about two minutes.
$url = $null
for ($attempt = 0; $attempt -lt 12 -and -not $url; $attempt++) {
    $url = az functionapp function show @appArgs --query invokeUrlTemplate -o tsv 2>$null
    if ($LASTEXITCODE -ne 0) { $url = $null }
    if (-not $url) { Start-Sleep -Seconds $waitSeconds }
}
if (-not $url) {
    Write-Host "The function $functionName is not listed yet; run 'azd hooks run postdeploy' again in a minute."
    exit 1
}

function Get-WebhookKey {
    $json = az functionapp function keys list @appArgs -o json
    if ($LASTEXITCODE -ne 0) { return $null }
    $keys = ($json | Out-String) | ConvertFrom-Json
    return @{ listed = $true; value = $keys.$keyName }
}

# A failed listing must never lead to `keys set`: that would replace a key Partner Center already holds.
$listed = Get-WebhookKey
if (-not $listed) {
    Write-Host "Could not list the keys of $functionName (see the error above); nothing was changed."
    exit 1
}
$key = $listed.value
if (-not $key) {
    az functionapp function keys set @appArgs --key-name $keyName -o none
    if ($LASTEXITCODE -ne 0) { exit 1 }
    $key = (Get-WebhookKey).value
    if (-not $key) {
        Write-Host "The key $keyName was created but cannot be read back; run 'azd hooks run postdeploy' again."
        exit 1
    }
}

$code = [System.Uri]::EscapeDataString($key)
$separator = if ($url.Contains('?')) { '&' } else { '?' }

Write-Host ''
Write-Host 'Partner Center → your offer → Offer setup → Customer leads → HTTPS endpoint URL:'
Write-Host ''
Write-Host "  $url$($separator)code=$code"
Write-Host ''
Write-Host "Then press Validate: a MSFT_TEST_ lead arrives and is recorded as 'destination validated' (never delivered)."
