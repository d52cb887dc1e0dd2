#!/bin/sh
# Prints the HTTPS endpoint to paste into Partner Center (Offer setup → Customer leads → HTTPS endpoint): the
# webhook's URL with a function key named for Partner Center. The key is created on the first run and never replaced
# after that (replacing it would break the URL already saved in Partner Center). The URL contains a secret: it is
# printed to this terminal only, never written to a file.
#
# Needs the Azure CLI signed in to the subscription azd deployed to (AZURE_SUBSCRIPTION_ID). Since Azure CLI 2.54
# `az functionapp function keys set` no longer prints the key (its output is redacted), so the key is always read
# with `az functionapp function keys list`.
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd (azd up / azd deploy), or export AZURE_RESOURCE_GROUP}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd (azd up / azd deploy), or export AZURE_FUNCTION_APP_NAME}"
FUNCTION_NAME="marketplaceLeadWebhook"
KEY_NAME="${WEBHOOK_KEY_NAME:-partner-center}"
WAIT_SECONDS="${POSTDEPLOY_WAIT_SECONDS:-10}"
SUBSCRIPTION="${AZURE_SUBSCRIPTION_ID:-}"

case "$KEY_NAME" in
  *[!A-Za-z0-9_.-]* | "") echo "WEBHOOK_KEY_NAME may hold only letters, digits, '-', '_' and '.'"; exit 1 ;;
esac

if ! command -v az >/dev/null 2>&1; then
  echo "Azure CLI (az) not found. Install it (https://aka.ms/azcli), run 'az login', then: azd hooks run postdeploy"
  echo "Or read the key in the portal: see docs/deploy.md, 'Get the webhook URL'."
  exit 1
fi

# Every az call names the subscription azd used, whatever the CLI's default subscription is.
az_sub() {
  if [ -n "$SUBSCRIPTION" ]; then az "$@" --subscription "$SUBSCRIPTION"; else az "$@"; fi
}
az_fn() {
  az_sub functionapp function "$@" -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" --function-name "$FUNCTION_NAME"
}

if ! az_sub account show --query id -o tsv >/dev/null 2>&1; then
  echo "The Azure CLI is not signed in${SUBSCRIPTION:+ to subscription $SUBSCRIPTION, the one azd deployed to}. Run:"
  echo
  echo "  az login${AZURE_TENANT_ID:+ --tenant $AZURE_TENANT_ID}"
  echo "  azd hooks run postdeploy"
  exit 1
fi

# Right after a deployment the host may still be indexing functions: retry for about two minutes.
attempt=0
until url=$(az_fn show --query invokeUrlTemplate -o tsv 2>/dev/null) && [ -n "$url" ]; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 12 ]; then
    echo "The function $FUNCTION_NAME is not listed yet; run 'azd hooks run postdeploy' again in a minute."
    exit 1
  fi
  sleep "$WAIT_SECONDS"
done

# A failed listing must never lead to `keys set`: that would replace a key Partner Center already holds.
if ! key=$(az_fn keys list --query "\"$KEY_NAME\"" -o tsv); then
  echo "Could not list the keys of $FUNCTION_NAME (see the error above); nothing was changed."
  exit 1
fi
if [ -z "$key" ]; then
  az_fn keys set --key-name "$KEY_NAME" -o none
  key=$(az_fn keys list --query "\"$KEY_NAME\"" -o tsv)
  if [ -z "$key" ]; then
    echo "The key $KEY_NAME was created but cannot be read back; run 'azd hooks run postdeploy' again."
    exit 1
  fi
fi

# Function keys are URL-safe today, but a key set by hand may hold + / = : encode them for the query string.
code=$(printf '%s' "$key" | sed -e 's/%/%25/g' -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/=/%3D/g')
case "$url" in *\?*) separator='&' ;; *) separator='?' ;; esac

echo
echo "Partner Center → your offer → Offer setup → Customer leads → HTTPS endpoint URL:"
echo
echo "  ${url}${separator}code=${code}"
echo
echo "Then press Validate: a MSFT_TEST_ lead arrives and is recorded as 'destination validated' (never delivered)."
