#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the browser suite needs: Debian's Chromium, openssl, unshare/ip, and the
# pinned playwright-core from package-lock.json. Idempotent; safe in CI (no stdin, CI=true).
# It never downloads a browser of its own: Chromium comes from Debian's packages.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi

# Refresh the package lists first: Chromium updates reach Debian 12 through
# bookworm-security, and stale lists would install an older Chromium.
apt_install() {
  echo "install.sh: apt-get install $*" >&2
  "${sudo[@]}" apt-get update -q </dev/null >/dev/null || true
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" </dev/null
}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install.sh: node (>= 20) and npm are required (playwright-core needs node 20)" >&2
  exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "install.sh: node $(node --version) is too old: playwright-core needs node >= 20" >&2
  exit 1
fi
echo "install.sh: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')" >&2

# npm ci only when node_modules does not hold exactly the pinned playwright-core.
want=$(node -e 'const l=require(process.argv[1]);console.log(l.packages["node_modules/playwright-core"].version)' "$here/package-lock.json")
have=$(node -e 'try{console.log(require(process.argv[1]).version)}catch{console.log("")}' "$here/node_modules/playwright-core/package.json")
if [ "$want" != "$have" ]; then
  echo "install.sh: npm ci (playwright-core $want)" >&2
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error </dev/null)
fi
