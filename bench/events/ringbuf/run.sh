#!/usr/bin/env bash
# Ring buffer consumer benchmark, side by side: the C/libbpf harness (ringbuf_bench.c, ring_buffer__consume) and
# BpfSharp's RingBufferReader.Consume (RingBufBench), on the same producer object, alternating N times so both
# see the same drift on a shared machine.
#
#   bench/events/ringbuf/run.sh [N] [SCALE]     N alternations (default 3), SCALE multiplies the 10 drains per round (default 1)
#
# Output in bench/results/ringbuf/: producer.bpf.o, ringbuf_bench, libbpf-I.txt, bpfsharp-I.txt, summary.md.
# Needs root (loads programs, runs BPF_PROG_TEST_RUN).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$ROOT"
# shellcheck source=../../../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

N=${1:-3}
SCALE=${2:-1}
OUT="$ROOT/bench/results/ringbuf"
rm -rf "$OUT"
mkdir -p "$OUT"

ensure_packages gcc=gcc pkg-config=pkg-config clang-19=clang-19 /usr/include/bpf/libbpf.h=libbpf-dev

MULTIARCH=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
log "building the producer (clang-19) and the libbpf harness (gcc -O2)"
clang-19 -g -O2 -target bpf "-I/usr/include/$MULTIARCH" -Wall -Werror -c "$HERE/producer.bpf.c" -o "$OUT/producer.bpf.o"
# shellcheck disable=SC2046
gcc -O2 -g -Wall -Wextra $(pkg-config --cflags libbpf) -o "$OUT/ringbuf_bench" "$HERE/ringbuf_bench.c" $(pkg-config --libs libbpf)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROJECT=bench/events/ringbuf/RingBufBench.csproj
log "building $PROJECT (Release)"
dotnet build -c Release "$PROJECT" -v quiet -nologo >/dev/null || dotnet build -c Release "$PROJECT" -nologo
bench_app() { dotnet run -c Release --no-build --project "$PROJECT" -- "$@"; }

compare_args=()
for ((i = 1; i <= N; i++)); do
  log "run $i of $N: libbpf ring_buffer__consume"
  "$OUT/ringbuf_bench" "$OUT/producer.bpf.o" "$SCALE" | tee "$OUT/libbpf-$i.txt"
  log "run $i of $N: BpfSharp RingBufferReader.Consume"
  bench_app "$OUT/producer.bpf.o" "$SCALE" | tee "$OUT/bpfsharp-$i.txt"
  compare_args+=(--libbpf "$OUT/libbpf-$i.txt" --bpfsharp "$OUT/bpfsharp-$i.txt")
done

log "comparison (also in ${OUT#"$ROOT"/}/summary.md)"
bench_app --compare "${compare_args[@]}" --out "$OUT/summary.md"
