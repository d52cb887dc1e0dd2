#!/bin/sh
# Prints the HTTPS endpoint to paste into Partner Center (Offer setup → Customer leads → HTTPS endpoint): the
# webhook's URL with a function key named for Partner Center. The key is created on the first run and reused after.
# The URL contains a secret: it is printed to this terminal only, never written to a file.
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd up / azd deploy), or export AZURE_RESOURCE_GROUP}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd (azd up / azd deploy), or export AZURE_FUNCTION_APP_NAME}"
FUNCTION_NAME="marketplaceLeadWebhook"
KEY_NAME="${WEBHOOK_KEY_NAME:-partner-center}"

if ! command -v az >/dev/null 2>&1; then
  echo "Azure CLI (az) not found: see docs/deploy.md, 'Get the webhook URL', to read the key in the portal."
  exit 0
fi

# Right after a deployment the host may still be indexing functions: retry for about two minutes.
attempt=0
until url=$(az functionapp function show -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
  --function-name "$FUNCTION_NAME" --query invokeUrlTemplate -o tsv 2>/dev/null) && [ -n "$url" ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 12 ]; then
    echo "The function $FUNCTION_NAME is not listed yet; run ./infra/hooks/postdeploy.sh again in a minute."
    exit 0
  fi
  sleep 10
done

key=$(az functionapp function keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
  --function-name "$FUNCTION_NAME" --query "\"$KEY_NAME\"" -o tsv 2>/dev/null || true)
if [ -z "$key" ]; then
  key=$(az functionapp function keys set -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
    --function-name "$FUNCTION_NAME" --key-name "$KEY_NAME" --query value -o tsv)
fi

echo
echo "Partner Center → your offer → Offer setup → Customer leads → HTTPS endpoint URL:"
echo
echo "  ${url}?code=${key}"
echo
echo "Then press Validate: a MSFT_TEST_ lead arrives and is recorded as 'destination validated' (never delivered)."
