#!/usr/bin/env bash
# Interleaved A/B of the map benchmarks for a noisy machine: map_bench (C/libbpf) and the C# suite's
# --rounds mode (map_bench's own method on the BpfSharp benchmark bodies) alternate N times, so both
# sides see the same drift. Complements bench/run.sh (BenchmarkDotNet), it does not replace it.
#
#   bench/ab.sh [N] [SCALE]     N alternations (default 3), SCALE as map_bench's (default 0.5)
#
# Output in bench/results/ab/: libbpf-I.txt, bpfsharp-I.txt, alloc.txt, summary.md. Needs root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

N=${1:-3}
SCALE=${2:-0.5}
OUT="$ROOT/bench/results/ab"
rm -rf "$OUT"
mkdir -p "$OUT"

ensure_packages gcc=gcc make=make pkg-config=pkg-config /usr/include/bpf/libbpf.h=libbpf-dev
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
BENCH_PROJECT=bench/BpfSharp.Benchmarks
bench_app() { dotnet run -c Release --no-build --project "$BENCH_PROJECT" -- "$@"; }

make -s -C bench/libbpf map_bench
dotnet build -c Release "$BENCH_PROJECT" -v quiet -nologo >/dev/null \
  || dotnet build -c Release "$BENCH_PROJECT" -nologo

args=()
for ((i = 1; i <= N; i++)); do
  log "round $i of $N: libbpf (map_bench $SCALE)"
  bench/libbpf/map_bench "$SCALE" | tee "$OUT/libbpf-$i.txt"
  log "round $i of $N: BpfSharp (--rounds $SCALE)"
  bench_app --rounds "$SCALE" | tee "$OUT/bpfsharp-$i.txt"
  args+=(--libbpf "$OUT/libbpf-$i.txt" --rounds "$OUT/bpfsharp-$i.txt")
done
bench_app --alloc-check "$OUT/alloc.txt"
log "comparison (also in ${OUT#"$ROOT"/}/summary.md)"
bench_app --compare "${args[@]}" --alloc "$OUT/alloc.txt" --out "$OUT/summary.md"
