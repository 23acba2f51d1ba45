#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Entry point of `make check-browser`: installs what is missing, then replays the corpus in
# headless Chromium inside a private network namespace (run.mjs re-executes itself there).
# Arguments are passed to run.mjs; see README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/install.sh"
exec node "$here/run.mjs" "$@"
