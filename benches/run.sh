#!/usr/bin/env bash
# Benchmark `mou build` / `mou check` against the Jinja2 + pandoc + typst peer pipelines.
#
#   benches/run.sh                 everything (about 10 minutes on a quiet 2-core machine)
#   SKIP_PEERS=1 benches/run.sh    mou only
#   PEER_1000=1 benches/run.sh     also g_batch1000_inproc_p2 (one run, about 3 minutes)
#
# Environment (all optional):
#   MOU=path          the binary to measure (default: `cargo build --release`, then
#                     $CARGO_TARGET_DIR/release/mou or target/release/mou)
#   NS="10 100 1000"  batch sizes
#   WORK=dir          scratch space for profiles and outputs (default: /tmp/mou-bench); big, not in git
#   PEERS=dir         the peer pipelines (default: ../shared/peers next to the repository)
#   PEERS_INPLACE=1   cd into $PEERS and let its scripts write $PEERS/out (default: a scratch dir
#                     $WORK/peers whose entries are symlinks to $PEERS, so nothing is copied and
#                     nothing is written into the read-only shared folder)
#   QUIET_MAX=600     before each measurement, wait up to this many seconds for the rest of the
#                     machine to go idle (default 0: measure at once)
#   RESULTS=dir       where the JSON and text results go (default: benches/results)
#   NICE=-5           niceness of the measured commands and of their autogroup (negative: root)
#   SETUP_PEERS=0     do not apt-get / pip install the peers' tools when they are missing
#
# Writes: benches/results/*.json (hyperfine --export-json), benches/results/time-*.txt
# (/usr/bin/time -v), benches/results/load-*.txt (what else the machine did meanwhile),
# benches/results/env.txt (machine, versions) and benches/results/summary.md (the table).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
RES=${RESULTS:-$BENCH/results}
WORK=${WORK:-/tmp/mou-bench}
PEERS=${PEERS:-$ROOT/../shared/peers}
NS=${NS:-10 100 1000}
NICE=${NICE:--5}
mkdir -p "$RES" "$WORK"
# No stale figures; extra-*.txt are measurements taken by hand (see RESULTS.md) and stay.
[ "${KEEP_RESULTS:-0}" = 1 ] || find "$RES" -maxdepth 1 -type f \
  \( -name '*.json' -o -name '*.txt' -o -name '*.md' \) ! -name 'extra-*' -delete

log() { printf '\n=== %s\n' "$*" >&2; }

# --- niceness: hyperfine and its children inherit it -------------------------------------------
NICE_CMD=()
if [ "$NICE" -lt 0 ] && [ "$(id -u)" != 0 ]; then
  echo "note: niceness $NICE needs root; measuring at the default niceness" >&2
elif [ "$NICE" != 0 ]; then
  NICE_CMD=(nice -n "$NICE")
  # With autogroup scheduling (Debian's default), niceness only counts inside a session's group,
  # and every group gets an equal share: another session's single busy process then holds one of
  # the two cores whatever our niceness. So give our group the same niceness, and put it back.
  if [ -w "/proc/$$/autogroup" ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ]; then
    AG_OLD=$(awk '{print $NF}' "/proc/$$/autogroup")
    if echo "$NICE" > "/proc/$$/autogroup" 2>/dev/null; then
      trap 'echo "$AG_OLD" > "/proc/$$/autogroup" 2>/dev/null || true' EXIT
    fi
  fi
fi

# --- tools ------------------------------------------------------------------------------------------
need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && need apt-get; then
    apt-get install -y hyperfine time || { apt-get update && apt-get install -y hyperfine time; }
  else
    echo "need hyperfine and GNU time (/usr/bin/time): apt-get install hyperfine time" >&2; exit 2
  fi
fi

# --- the binary -------------------------------------------------------------------------------------
if [ -z "${MOU:-}" ]; then
  log "cargo build --release"
  (cd "$ROOT" && cargo build --release --quiet)
  MOU=${CARGO_TARGET_DIR:-$ROOT/target}/release/mou
fi
MOU=$(cd "$(dirname "$MOU")" && pwd)/$(basename "$MOU")
[ -x "$MOU" ] || { echo "no binary at $MOU" >&2; exit 2; }
cd "$ROOT"   # mou reads the library from ./clauses

# --- what else runs on the machine: busy CPU seconds from /proc/stat ---------------------------------
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
HZ=$(getconf CLK_TCK)
# load_begin NAME / load_end NAME: record wall time and the whole machine's busy CPU seconds, to
# compare with the benchmark's own CPU (in the hyperfine JSON / time output) in summarize.py.
load_begin() { L_T0=$(date +%s.%N); L_J0=$(busy_jiffies); L_LA=$(cut -d' ' -f1-3 /proc/loadavg); }
load_end() {  # load_end NAME [WARMUP_RUNS]
  local t1 j1; t1=$(date +%s.%N); j1=$(busy_jiffies)
  printf 'wall_s %s\nmachine_busy_cpu_s %s\nloadavg_before %s\nloadavg_after %s\n' \
    "$(echo "$t1 - $L_T0" | bc -l)" "$(echo "($j1 - $L_J0) / $HZ" | bc -l)" "$L_LA" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" > "$RES/load-$1.txt"
  echo "warmup ${2:-0}" >> "$RES/load-$1.txt"
}

# wait_quiet: with QUIET_MAX=S, wait up to S seconds for the rest of the machine to use less than
# QUIET_CORES (default 0.15) cores over a 3-second window before each measurement.
wait_quiet() {
  local max=${QUIET_MAX:-0} waited=0 a b busy
  [ "$max" -gt 0 ] || return 0
  while :; do
    a=$(busy_jiffies); sleep 3; b=$(busy_jiffies)
    busy=$(echo "($b - $a) / $HZ / 3" | bc -l)
    if [ "$(echo "$busy < ${QUIET_CORES:-0.15}" | bc -l)" = 1 ]; then return 0; fi
    if [ "$waited" -ge "$max" ]; then
      printf 'machine still busy (%.2f cores) after %ss; measuring anyway\n' "$busy" "$waited" >&2
      return 0
    fi
    [ "$waited" = 0 ] && printf 'machine busy (%.2f cores), waiting up to %ss for quiet\n' "$busy" "$max" >&2
    sleep 7; waited=$((waited + 10))
  done
}

# hf NAME RUNS WARMUP [hyperfine options...] -- COMMAND...: one hyperfine measurement -> results/NAME.json
hf() {
  local name=$1 runs=$2 warmup=$3; shift 3
  log "$name"
  wait_quiet
  load_begin
  "${NICE_CMD[@]}" hyperfine --style basic --runs "$runs" --warmup "$warmup" -n "$name" \
    --export-json "$RES/$name.json" "$@"
  load_end "$name" "$warmup"
}
# peak NAME COMMAND...: one run under GNU time -> results/time-NAME.txt
peak() {
  local name=$1; shift
  log "peak memory: $name"
  wait_quiet
  load_begin
  "${NICE_CMD[@]}" /usr/bin/time -v -o "$RES/time-$name.txt" "$@" >/dev/null
  load_end "time-$name"
  grep -E 'Maximum resident|Elapsed|User time|System time' "$RES/time-$name.txt" >&2
}

# --- environment record -----------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "mem: $(free -g | awk '/Mem:/{print $2 " GiB"}')"
  echo "mou: $("$MOU" --version 2>/dev/null || echo '?') at $MOU, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "rustc: $(rustc --version 2>/dev/null || echo '?')"
  echo "hyperfine: $(hyperfine --version)"
  echo "niceness: ${NICE_CMD[*]:-none}; autogroup: $(cat /proc/$$/autogroup 2>/dev/null || echo none)"
  echo "loadavg at start: $(cat /proc/loadavg)"
} > "$RES/env.txt"
cat "$RES/env.txt" >&2

# --- profiles -----------------------------------------------------------------------------------
GEN_PY=${PYTHON:-python3}
for n in $NS; do
  d=$WORK/profiles$n
  rm -rf "$d"
  "$GEN_PY" "$BENCH/gen_profiles.py" "$n" "$d"
  log "mou check $d (must report 0 errors)"
  if ! "$MOU" check "$d" > "$WORK/check$n.txt" 2>&1; then
    tail -20 "$WORK/check$n.txt" >&2; echo "generated profiles do not pass mou check" >&2; exit 1
  fi
  tail -1 "$WORK/check$n.txt" >&2
done

# --- mou ------------------------------------------------------------------------------------------
OUT=$WORK/out
for n in $NS; do
  if [ "$n" -ge 1000 ]; then runs=3; warm=0; else runs=5; warm=1; fi
  hf "mou_build_md_pdf_$n" "$runs" "$warm" -N --prepare "rm -rf $OUT" \
    "$MOU build $WORK/profiles$n -f md,pdf -o $OUT -q"
  [ "$(ls "$OUT"/*.pdf | wc -l)" = "$n" ] || { echo "expected $n PDFs in $OUT" >&2; exit 1; }
done
n100=$WORK/profiles100
if [ -d "$n100" ]; then
  hf mou_build_md_100 5 1 -N --prepare "rm -rf $OUT" "$MOU build $n100 -f md -o $OUT -q"
  hf mou_build_pdf_100 5 1 -N --prepare "rm -rf $OUT" "$MOU build $n100 -f pdf -o $OUT -q"
  hf mou_build_md_pdf_docx_100 5 1 -N --prepare "rm -rf $OUT" \
    "$MOU build $n100 -f md,pdf,docx -o $OUT -q"
  hf mou_build_md_pdf_100_j1 3 1 -N --prepare "rm -rf $OUT" \
    "$MOU build $n100 -f md,pdf -o $OUT -q -j 1"
fi
hf mou_check_examples 20 3 -N "$MOU check profiles"
ONE=${ONE:-profiles/west-hartford-2022.toml}
hf mou_build_one_pdf 10 2 -N --prepare "rm -rf $OUT" "$MOU build $ONE -f pdf -o $OUT -q"
pdfinfo "$OUT"/*.pdf 2>/dev/null | awk '/^Pages:/{print "pages: " $2}' > "$RES/one-pdf.txt" || true
pdftotext "$OUT"/*.pdf - 2>/dev/null | wc -w | awk '{print "words: " $1}' >> "$RES/one-pdf.txt" || true
echo "profile: $ONE" >> "$RES/one-pdf.txt"
for n in $NS; do
  rm -rf "$OUT"
  peak "mou_build_md_pdf_$n" "$MOU" build "$WORK/profiles$n" -f md,pdf -o "$OUT" -q
done
last=${NS##* }
peak "mou_check_$last" "$MOU" check "$WORK/profiles$last"

# --- the peers: Jinja2 -> pandoc 3 -> typst -----------------------------------------------------
summary() { log "summary"; python3 "$BENCH/summarize.py" "$RES" | tee "$RES/summary.md"; }
if [ "${SKIP_PEERS:-0}" = 1 ]; then log "peers skipped (SKIP_PEERS=1)"; summary; exit 0; fi
PEERS=$(cd "$PEERS" && pwd) || { echo "no peers folder at $PEERS" >&2; exit 2; }
PEER_PY=${PY_PEERS:-/opt/peers-venv/bin/python}
peers_ok() {
  "$PEER_PY" -c 'import jinja2, typst' 2>/dev/null && [ -x /opt/peers-bin/pandoc3 ] && need pandoc
}
if ! peers_ok; then
  if [ "${SETUP_PEERS:-1}" = 1 ] && [ "$(id -u)" = 0 ]; then
    log "peers setup (README Setup, without LaTeX, wkhtmltopdf and WeasyPrint)"
    apt-get install -y pandoc hyperfine time poppler-utils fonts-liberation2 \
      || { apt-get update && apt-get install -y pandoc hyperfine time poppler-utils fonts-liberation2; }
    python3 -c 'import sys; assert sys.version_info >= (3, 11)' || { echo "peers need python >= 3.11" >&2; exit 2; }
    python3 -m venv /opt/peers-venv
    /opt/peers-venv/bin/pip install -q jinja2==3.1.6 typst==0.15.2 pypandoc_binary==1.17
    mkdir -p /opt/peers-bin
    ln -sf "$(/opt/peers-venv/bin/python -c 'import pypandoc, os; print(os.path.join(os.path.dirname(pypandoc.__file__), "files", "pandoc"))')" /opt/peers-bin/pandoc3
  fi
  peers_ok || { echo "peer tools missing: follow $PEERS/README.md (Setup)" >&2; exit 2; }
fi

if [ "${PEERS_INPLACE:-0}" = 1 ]; then
  PW=$PEERS
else
  PW=$WORK/peers
  rm -rf "$PW"; mkdir -p "$PW/out"
  for e in "$PEERS"/*; do ln -s "$e" "$PW/$(basename "$e")"; done
fi
cd "$PW"
mkdir -p out
export PY=$PEER_PY
# shellcheck disable=SC1091
. scripts/pipelines.sh
{
  echo "peers: $PEERS (run in $PW)"
  echo "python: $("$PY" --version 2>&1), jinja2 $("$PY" -c 'import jinja2; print(jinja2.__version__)'), typst (PyPI) $("$PY" -m pip show typst 2>/dev/null | awk '/^Version/{print $2}')"
  echo "pandoc3: $("$PANDOC3" --version | head -1)"
  echo "pandoc: $("$PANDOC" --version | head -1)"
} > "$RES/env-peers.txt"
[ -d out/profiles100 ] || "$PY" scripts/gen_profiles.py 100 out/profiles100

for p in a_render f_city_pdf f_city_md_pdf_docx; do
  hf "peer_$p" 7 1 "$(pipeline $p)"
done
hf peer_g_batch100_inproc_p2 5 1 "$(pipeline g_batch100_inproc_p2)"
[ "$(ls out/g/*.pdf | wc -l)" = 100 ] || { echo "peer batch did not write 100 PDFs" >&2; exit 1; }
peak peer_f_city_pdf sh -c "$(pipeline f_city_pdf)"
peak peer_g_batch100_inproc_p2 sh -c "$(pipeline g_batch100_inproc_p2)"
if [ "${PEER_1000:-0}" = 1 ]; then
  [ -d out/profiles1000 ] || "$PY" scripts/gen_profiles.py 1000 out/profiles1000
  hf peer_g_batch1000_inproc_p2 1 0 "$(pipeline g_batch1000_inproc_p2)"
fi

summary
