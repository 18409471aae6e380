#!/usr/bin/env bash
# Perf buffer consumption, side by side: libbpf's perf_buffer__consume (perfbuf_bench.c, built here with gcc
# -O2 -lbpf) and BpfSharp's PerfBufferReader.Consume (PerfBufBench), on the same producer object
# (producer.bpf.c, built here with clang), the same ring size (256 pages per CPU) and wakeup setting (a
# watermark of half a ring), record sizes 16 B to 4 KiB. Both consumers run pinned (taskset) to the CPU the producer writes on.
#
#   bench/events/perfbuf/run.sh [SCALE] [RUNS]   SCALE multiplies the fills per round (default 1),
#                                                RUNS the interleaved runs of each side (default 2)
#
# Output in bench/results/perfbuf/: libbpf-N.txt, bpfsharp-N.txt (op=… lines), summary.md (the table),
# live.txt (BpfSharp alone: end-to-end rate with a wakeup per sample vs a watermark).
# Needs root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/bench/events/perfbuf"
cd "$ROOT"
# shellcheck source=../../../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

SCALE=${1:-1}
RUNS=${2:-2}
RESULTS="$ROOT/bench/results/perfbuf"
BUILD="$RESULTS/build"
mkdir -p "$BUILD"

ensure_packages gcc=gcc clang-19=clang-19 pkg-config=pkg-config taskset=util-linux /usr/include/bpf/libbpf.h=libbpf-dev

log "building the producer object, the libbpf harness and PerfBufBench"
clang-19 -g -O2 -target bpf -Wall -Werror -I"/usr/include/$(gcc -dumpmachine)" \
  -c "$HERE/producer.bpf.c" -o "$BUILD/producer.bpf.o"
# shellcheck disable=SC2046
gcc -O2 -Wall -Wextra $(pkg-config --cflags libbpf) -o "$BUILD/perfbuf_bench" "$HERE/perfbuf_bench.c" $(pkg-config --libs libbpf)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release "$HERE/PerfBufBench" -v quiet -nologo >/dev/null \
  || dotnet build -c Release "$HERE/PerfBufBench" -nologo   # on failure, show the errors

# Producer and consumer on one CPU: the consumer reads records from its own cache, so what is timed is the
# consumer's work. Across CPUs every consumer pays the same transfer, and on this VM its cost swung 3x from run
# to run with nothing else changing (the same harness at 85 M and 280 M records/s of 1 KiB).
CPU=$(( $(nproc) > 1 ? 1 : 0 ))

# The machine may be shared and noisy: the two sides alternate, so drift hits both, and every run is kept.
libbpf_runs=() ours_runs=()
for ((run = 1; run <= RUNS; run++)); do
  log "libbpf perf_buffer__consume, run $run of $RUNS"
  taskset -c "$CPU" "$BUILD/perfbuf_bench" "$BUILD/producer.bpf.o" "$SCALE" "$CPU" | tee "$RESULTS/libbpf-$run.txt"
  libbpf_runs+=(--libbpf "$RESULTS/libbpf-$run.txt")
  log "BpfSharp PerfBufferReader.Consume, run $run of $RUNS"
  taskset -c "$CPU" dotnet run -c Release --no-build --project "$HERE/PerfBufBench" -- "$BUILD/producer.bpf.o" "$SCALE" "$CPU" \
    | tee "$RESULTS/bpfsharp-$run.txt"
  ours_runs+=(--ours "$RESULTS/bpfsharp-$run.txt")
done

log "what wakeups cost: a producer thread and a polling consumer at once, every sample vs a watermark"
dotnet run -c Release --no-build --project "$HERE/PerfBufBench" -- --live "$BUILD/producer.bpf.o" | tee "$RESULTS/live.txt"

log "comparison (also in ${RESULTS#"$ROOT"/}/summary.md)"
dotnet run -c Release --no-build --project "$HERE/PerfBufBench" -- --compare "${libbpf_runs[@]}" "${ours_runs[@]}" --out "$RESULTS/summary.md"
