# Prints the HTTPS endpoint to paste into Partner Center (Offer setup → Customer leads → HTTPS endpoint): the
# webhook's URL with a function key named for Partner Center. The key is created on the first run and reused after.
# The URL contains a secret: it is printed to this terminal only, never written to a file.
$ErrorActionPreference = 'Stop'

$resourceGroup = $env:AZURE_RESOURCE_GROUP
$appName = $env:AZURE_FUNCTION_APP_NAME
if (-not $resourceGroup -or -not $appName) {
    Write-Host 'Run through azd (azd up / azd deploy), or set AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME.'
    exit 1
}
$functionName = 'marketplaceLeadWebhook'
$keyName = if ($env:WEBHOOK_KEY_NAME) { $env:WEBHOOK_KEY_NAME } else { 'partner-center' }

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Write-Host "Azure CLI (az) not found: see docs/deploy.md, 'Get the webhook URL', to read the key in the portal."
    exit 0
}

# Right after a deployment the host may still be indexing functions: retry for about two minutes.
$url = $null
for ($attempt = 0; $attempt -lt 12 -and -not $url; $attempt++) {
    $url = az functionapp function show -g $resourceGroup -n $appName --function-name $functionName `
        --query invokeUrlTemplate -o tsv 2>$null
    if (-not $url) { Start-Sleep -Seconds 10 }
}
if (-not $url) {
    Write-Host "The function $functionName is not listed yet; run ./infra/hooks/postdeploy.ps1 again in a minute."
    exit 0
}

$key = az functionapp function keys list -g $resourceGroup -n $appName --function-name $functionName `
    --query "`"$keyName`"" -o tsv 2>$null
if (-not $key) {
    $key = az functionapp function keys set -g $resourceGroup -n $appName --function-name $functionName `
        --key-name $keyName --query value -o tsv
}

Write-Host ''
Write-Host 'Partner Center → your offer → Offer setup → Customer leads → HTTPS endpoint URL:'
Write-Host ''
Write-Host "  $($url)?code=$key"
Write-Host ''
Write-Host "Then press Validate: a MSFT_TEST_ lead arrives and is recorded as 'destination validated' (never delivered)."
