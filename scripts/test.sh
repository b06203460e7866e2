#!/usr/bin/env bash
# The test command: external readers first (installed if missing), then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cargo test --locked "$@"
