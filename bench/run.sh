#!/usr/bin/env bash
# Map benchmarks, side by side: the C/libbpf baseline (bench/libbpf/map_bench) and BpfSharp's
# BenchmarkDotNet suite, run in one go on one machine.
#
#   bench/run.sh [SCALE]     SCALE multiplies map_bench's ~1 s rounds (default 1)
#
# Output in bench/results/:
#   libbpf-maps.txt           map_bench's lines `op=<name> ns_per_op=<f> ops_per_s=<f>`
#   dotnet-maps.txt           the console output of the C# suite
#   BenchmarkDotNet.Artifacts BenchmarkDotNet's reports (JSON exporter)
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

# --- C baseline --------------------------------------------------------------------------------
log "building bench/libbpf/map_bench"
make -s -C bench/libbpf map_bench
log "running bench/libbpf/map_bench $SCALE (takes about 40 s x SCALE)"
bench/libbpf/map_bench "$SCALE" | tee "$RESULTS/libbpf-maps.txt"

# --- C# suite ----------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bdn_dir="$RESULTS/BenchmarkDotNet.Artifacts"
rm -rf "$bdn_dir"
log "running the C# map benchmarks (BenchmarkDotNet, filter *Map*)"
dotnet run -c Release --project bench/BpfSharp.Benchmarks -- \
  --filter '*Map*' --exporters json --artifacts "$bdn_dir" | tee "$RESULTS/dotnet-maps.txt"

shopt -s nullglob
bdn_json=("$bdn_dir"/results/*.json)
shopt -u nullglob
if ((${#bdn_json[@]} == 0)); then
  log "the C# suite produced no BenchmarkDotNet JSON report (no map benchmarks yet?); nothing to compare"
fi

# --- comparison --------------------------------------------------------------------------------
# PLACEHOLDER: compare() is not written yet. It is meant to read bench/results/libbpf-maps.txt
# (op=... lines) and the BenchmarkDotNet JSON reports, pair each C# benchmark with its libbpf op,
# and print BpfSharp/libbpf rate ratios (DESIGN.md's target: map ops >= libbpf's rate).
# Until then it prints nothing but this notice; no ratio is computed or estimated.
compare() {
  log "compare(): not implemented yet (placeholder); raw results are in ${RESULTS#"$ROOT"/}/"
}
compare
