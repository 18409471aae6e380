#!/usr/bin/env bash
# Object-load and BTF-parse benchmarks, side by side: the C/libbpf baseline (bench/libbpf/object_bench on
# bench/build/medium.bpf.o and /sys/kernel/btf/vmlinux) and BpfSharp's BenchmarkDotNet suite, run in one go.
#
#   bench/run-objects.sh [SCALE]     SCALE multiplies object_bench's ~1 s rounds (default 1)
#
# Output in bench/results/objects/:
#   libbpf-objects.txt        object_bench's lines `op=<name> ns_per_op=<f> ops_per_s=<f>` (run before the C# suite)
#   libbpf-objects-2.txt      the same, run again after the C# suite (drift check)
#   dotnet-objects.txt        the console output of the C# suite
#   BenchmarkDotNet.Artifacts BenchmarkDotNet's reports (JSON exporter)
#   summary.md                the comparison table (ratio = libbpf ns/op / BpfSharp ns/op; > 1: BpfSharp faster)
# Needs root (the load creates maps and programs).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

SCALE=${1:-1}
RESULTS="$ROOT/bench/results/objects"
mkdir -p "$RESULTS"

ensure_packages gcc=gcc make=make pkg-config=pkg-config /usr/include/bpf/libbpf.h=libbpf-dev \
  clang-19=clang-19 bpftool=bpftool

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
BENCH_PROJECT=bench/BpfSharp.Benchmarks
bench_app() { dotnet run -c Release --no-build --project "$BENCH_PROJECT" -- "$@"; }

log "building bench/libbpf/object_bench, bench/build/medium.bpf.o and $BENCH_PROJECT"
make -s -C bench/libbpf object_bench objects
dotnet build -c Release "$BENCH_PROJECT" -v quiet -nologo >/dev/null \
  || dotnet build -c Release "$BENCH_PROJECT" -nologo   # on failure, show the errors

filters=('*BtfParseBenchmarks*' '*ObjectLoadBenchmarks*')

log "running bench/libbpf/object_bench $SCALE (run 1 of 2, about 25 s x SCALE)"
bench/libbpf/object_bench "$SCALE" | tee "$RESULTS/libbpf-objects.txt"

bdn_dir="$RESULTS/BenchmarkDotNet.Artifacts"
rm -rf "$bdn_dir"
log "running the C# benchmarks (BenchmarkDotNet, filter ${filters[*]})"
bench_app --filter "${filters[@]}" --exporters json --artifacts "$bdn_dir" | tee "$RESULTS/dotnet-objects.txt"

log "running bench/libbpf/object_bench $SCALE (run 2 of 2)"
bench/libbpf/object_bench "$SCALE" | tee "$RESULTS/libbpf-objects-2.txt"

shopt -s nullglob
bdn_json=("$bdn_dir"/results/*.json)
shopt -u nullglob
((${#bdn_json[@]} > 0)) || die "the C# suite produced no BenchmarkDotNet JSON report in ${bdn_dir#"$ROOT"/}/results"
log "comparison (also in ${RESULTS#"$ROOT"/}/summary.md)"
bench_app --compare --libbpf "$RESULTS/libbpf-objects.txt" --libbpf "$RESULTS/libbpf-objects-2.txt" \
  --bdn "$bdn_dir/results" --out "$RESULTS/summary.md"
