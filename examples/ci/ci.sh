#!/usr/bin/env bash
# The same pipeline as mou.yml for any CI system (or a cron job): lint, build every
# agreement against mou.lock, and fail on the first problem. Run from the folder that
# holds clauses/, profiles/ and mou.lock. SHARD=2/4 builds one quarter.
set -euo pipefail
MOU=${MOU:-mou}
OUT=${OUT:-out}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}

"$MOU" check profiles/          # add --deny-warnings to fail on warnings too
shard_args=()
if [ -n "${SHARD:-}" ]; then shard_args=(--shard "$SHARD"); fi
"$MOU" build profiles/ --locked "${shard_args[@]}" -f md,pdf,docx -o "$OUT"
echo "agreements in $OUT/ (manifest: $OUT/manifest.json)"
