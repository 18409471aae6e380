#!/usr/bin/env bash
# Compiler benchmark (issue 4): five programs written in C (clang-19 -O2) and in C# (BpfSharp), compared on
# xlated instruction count, BPF_PROG_TEST_RUN ns per run, and compile time.
#
#   bench/compiler/run.sh [RUNNER OPTIONS…]     e.g. --rounds 15 --repeat 2000000
#
# Builds c/*.bpf.c into bench/results/compiler-objects/, builds the runner (Release; it carries CsPrograms.dll and
# its PDB), runs it, and writes the table to bench/results/compiler-summary.md (printed too).
# Needs root (loads programs, runs BPF_PROG_TEST_RUN).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
# shellcheck source=../../.ci/lib.sh
. "$ROOT/.ci/lib.sh"

RESULTS="$ROOT/bench/results"
OBJECTS="$RESULTS/compiler-objects"
mkdir -p "$OBJECTS"

ensure_packages clang-19=clang-19 /usr/include/bpf/bpf_helpers.h=libbpf-dev

# One clang command for the objects and for the compile-time measurement. The include directory gives
# <asm/types.h> to -target bpf on Debian's multiarch layout.
CLANG="clang-19 -O2 -g -target bpf -I/usr/include/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"

log "building the C programs ($CLANG)"
for src in "$HERE"/c/*.bpf.c; do
  # shellcheck disable=SC2086
  $CLANG -c "$src" -o "$OBJECTS/$(basename "${src%.c}").o"
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
RUNNER=bench/compiler/Runner
log "building $RUNNER (Release)"
dotnet build -c Release "$RUNNER" -v quiet -nologo >/dev/null || dotnet build -c Release "$RUNNER" -nologo

log "running the comparison"
dotnet run -c Release --no-build --project "$RUNNER" -- \
  --c-sources "$HERE/c" --c-objects "$OBJECTS" --clang "$CLANG" --out "$RESULTS/compiler-summary.md" "$@"
