#!/usr/bin/env bash
# `mou review` of a 20-page agreement (cedar-valley-2024, about 9,900 words): read
# the returned DOCX, build ours, compare, search the profile values, report. Target:
# under 200 ms (issue #15). Usage: benches/review/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-20}"
cargo build --release --locked --quiet
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mou=target/release/mou
profile=profiles/cedar-valley-2024.toml
"$mou" build "$profile" -f docx -o "$tmp" -q
python3 benches/review/make_theirs.py "$tmp/cedar-valley-2024.docx" "$tmp/theirs.docx"
# It reports changes, so it exits 1; show the report once.
"$mou" review "$tmp/theirs.docx" --profile "$profile" || true
hyperfine --warmup 3 --runs "$runs" -i -N \
  --export-markdown "$tmp/review.md" \
  "$mou review $tmp/theirs.docx --profile $profile" \
  "$mou review $tmp/theirs.docx --profile $profile --propose $tmp/proposal"
cat "$tmp/review.md"
