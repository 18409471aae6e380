#!/usr/bin/env bash
# Interleaved A/B for a noisy machine: the C/libbpf harness (map_bench or object_bench) and the C# suite's
# --rounds mode (the harness's own method on the BpfSharp benchmark bodies) alternate N times, so both
# sides see the same drift. Complements bench/run.sh and bench/run-objects.sh (BenchmarkDotNet).
#
#   bench/ab.sh [N] [SCALE] [SUITE]   N alternations (default 3), SCALE as the harness's (default 0.5),
#                                     SUITE maps (default: map_bench) or objects (object_bench)
#
# Output in bench/results/ab/ (objects: bench/results/ab-objects/): libbpf-I.txt, bpfsharp-I.txt,
# alloc.txt (maps only), summary.md. Needs root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

N=${1:-3}
SCALE=${2:-0.5}
SUITE=${3:-maps}
case $SUITE in
  maps) HARNESS=map_bench OUT="$ROOT/bench/results/ab" ;;
  objects) HARNESS=object_bench OUT="$ROOT/bench/results/ab-objects" ;;
  *) die "unknown suite '$SUITE' (maps or objects)" ;;
esac
rm -rf "$OUT"
mkdir -p "$OUT"

ensure_packages gcc=gcc make=make pkg-config=pkg-config /usr/include/bpf/libbpf.h=libbpf-dev
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
BENCH_PROJECT=bench/BpfSharp.Benchmarks
bench_app() { dotnet run -c Release --no-build --project "$BENCH_PROJECT" -- "$@"; }

make -s -C bench/libbpf "$HARNESS"
if [[ $SUITE == objects ]]; then make -s -C bench/libbpf objects; fi
dotnet build -c Release "$BENCH_PROJECT" -v quiet -nologo >/dev/null \
  || dotnet build -c Release "$BENCH_PROJECT" -nologo

args=()
for ((i = 1; i <= N; i++)); do
  log "round $i of $N: libbpf ($HARNESS $SCALE)"
  "bench/libbpf/$HARNESS" "$SCALE" | tee "$OUT/libbpf-$i.txt"
  log "round $i of $N: BpfSharp (--rounds $SCALE $SUITE)"
  bench_app --rounds "$SCALE" "$SUITE" | tee "$OUT/bpfsharp-$i.txt"
  args+=(--libbpf "$OUT/libbpf-$i.txt" --rounds "$OUT/bpfsharp-$i.txt")
done
if [[ $SUITE == maps ]]; then
  bench_app --alloc-check "$OUT/alloc.txt"
  args+=(--alloc "$OUT/alloc.txt")
fi
log "comparison (also in ${OUT#"$ROOT"/}/summary.md)"
bench_app --compare "${args[@]}" --out "$OUT/summary.md"
