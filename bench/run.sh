#!/usr/bin/env bash
# Map benchmarks, side by side: the C/libbpf baseline (bench/libbpf/map_bench) and BpfSharp's
# BenchmarkDotNet suite, run in one go on one machine.
#
#   bench/run.sh [SCALE]     SCALE multiplies map_bench's ~1 s rounds (default 1)
#
# Output in bench/results/:
#   libbpf-maps.txt           map_bench's lines `op=<name> ns_per_op=<f> ops_per_s=<f>` (run before the C# suite)
#   libbpf-maps-2.txt         the same, run again after the C# suite (drift check)
#   dotnet-maps.txt           the console output of the C# suite
#   BenchmarkDotNet.Artifacts BenchmarkDotNet's reports (JSON exporter)
#   alloc.txt                 exact managed bytes allocated per 100,000-op pass of each C# benchmark
#   summary.md                the comparison table (ratio = libbpf ns/op / BpfSharp ns/op; > 1: BpfSharp faster)
# Needs root (creating BPF maps).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

SCALE=${1:-1}
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"

ensure_packages gcc=gcc make=make pkg-config=pkg-config /usr/include/bpf/libbpf.h=libbpf-dev

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
BENCH_PROJECT=bench/BpfSharp.Benchmarks
bench_app() { dotnet run -c Release --no-build --project "$BENCH_PROJECT" -- "$@"; }

log "building bench/libbpf/map_bench and $BENCH_PROJECT"
make -s -C bench/libbpf map_bench
dotnet build -c Release "$BENCH_PROJECT" -v quiet -nologo >/dev/null \
  || dotnet build -c Release "$BENCH_PROJECT" -nologo   # on failure, show the errors

# The machine is shared and noisy: libbpf runs before AND after the C# suite, and compare() reports the ratio
# against each run as well as against their mean, so drift during the run is visible rather than hidden.

# --- C baseline, first run -----------------------------------------------------------------------
log "running bench/libbpf/map_bench $SCALE (run 1 of 2, about 30 s x SCALE)"
bench/libbpf/map_bench "$SCALE" | tee "$RESULTS/libbpf-maps.txt"

# --- C# suite ------------------------------------------------------------------------------------
bdn_dir="$RESULTS/BenchmarkDotNet.Artifacts"
rm -rf "$bdn_dir"
log "running the C# map benchmarks (BenchmarkDotNet, filter *Map*)"
bench_app --filter '*Map*' --exporters json --artifacts "$bdn_dir" | tee "$RESULTS/dotnet-maps.txt"

# --- C baseline, second run ----------------------------------------------------------------------
log "running bench/libbpf/map_bench $SCALE (run 2 of 2)"
bench/libbpf/map_bench "$SCALE" | tee "$RESULTS/libbpf-maps-2.txt"

# --- exact allocations per 100,000-op pass -------------------------------------------------------
log "checking managed allocations per benchmark pass"
bench_app --alloc-check "$RESULTS/alloc.txt"
cat "$RESULTS/alloc.txt"

# --- comparison ----------------------------------------------------------------------------------
# Pairs each C# benchmark with its map_bench op: ratio = libbpf ns/op / BpfSharp ns/op (> 1: BpfSharp faster),
# allocated bytes per op, targets met or not. Parsing (BenchmarkDotNet's JSON included) is done in C# by the
# benchmark program's --compare mode, so neither python3 nor jq is needed.
compare() {
  shopt -s nullglob
  local bdn_json=("$bdn_dir"/results/*.json)
  shopt -u nullglob
  ((${#bdn_json[@]} > 0)) || die "the C# suite produced no BenchmarkDotNet JSON report in ${bdn_dir#"$ROOT"/}/results"
  log "comparison (also in ${RESULTS#"$ROOT"/}/summary.md)"
  bench_app --compare --libbpf "$RESULTS/libbpf-maps.txt" --libbpf "$RESULTS/libbpf-maps-2.txt" \
    --bdn "$bdn_dir/results" --alloc "$RESULTS/alloc.txt" --out "$RESULTS/summary.md"
}
compare
