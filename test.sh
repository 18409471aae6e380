#!/usr/bin/env bash
# Build BpfSharp and run every test project against the real kernel.
#
#   ./test.sh                    everything
#   ./test.sh --filter EXPR      pass a (VSTest-syntax) test filter through, e.g.
#                                ./test.sh --filter 'FullyQualifiedName~Btf'
#   ./test.sh -- ARGS...         pass further arguments to every `dotnet test` run
#
# Prepares the machine first: installs clang-19, llvm-19, bpftool, libbpf-dev, pkg-config, make, gcc
# iproute2 and systemtap-sdt-dev (<sys/sdt.h> for the USDT test binary) from the distribution when missing, mounts bpffs and tracefs when absent, raises the
# locked-memory limit. If CI is set it is passed to the tests unchanged (kernel refusals then fail
# instead of skipping).
#
# The last line printed is always either `N passed, N failed, N skipped` or `BUILD FAILED`.
# Exit status: 0 only if the build succeeded, every test project ran and no test failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT" || exit 1
# shellcheck source=.ci/lib.sh
. "$ROOT/.ci/lib.sh"

test_args=()
while (($#)); do
  case $1 in
    --filter) (($# >= 2)) || die "--filter needs an expression"; test_args+=(--filter "$2"); shift 2 ;;
    --filter=*) test_args+=(--filter "${1#--filter=}"); shift ;;
    --) shift; test_args+=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see ./test.sh --help)" ;;
  esac
done

# --- (a) tools from the distribution -------------------------------------------------------------
ensure_packages \
  clang-19=clang-19 llvm-objdump-19=llvm-19 bpftool=bpftool /usr/include/bpf/libbpf.h=libbpf-dev \
  pkg-config=pkg-config make=make gcc=gcc ip=iproute2 dtrace=systemtap-sdt-dev
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH"

# --- (b) kernel-facing setup ---------------------------------------------------------------------
mounted() { awk -v d="$1" -v t="$2" '$2 == d && $3 == t { f = 1 } END { exit !f }' /proc/mounts; }
ensure_mount() { # TYPE DIR
  mounted "$2" "$1" && return 0
  mkdir -p "$2" 2>/dev/null
  if mount -t "$1" "$1" "$2" 2>/dev/null; then log "mounted $1 at $2"
  else warn "could not mount $1 at $2; tests that need it will fail or skip"; fi
}
ensure_mount bpf /sys/fs/bpf
ensure_mount tracefs /sys/kernel/tracing
# Since Linux 5.11 BPF memory is charged to the memory cgroup, not RLIMIT_MEMLOCK; raise it anyway
# for older code paths, as far as this process is allowed to (no CAP_SYS_RESOURCE: the hard limit).
if ! ulimit -l unlimited 2>/dev/null; then
  ulimit -l "$(ulimit -H -l)" 2>/dev/null
  log "ulimit -l unlimited not allowed here; locked-memory limit is $(ulimit -l) (harmless on kernels >= 5.11)"
fi

if [[ -n ${CI+set} ]]; then export CI; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

RESULTS="$ROOT/TestResults"
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.trx

# --- (c) build -----------------------------------------------------------------------------------
log "dotnet build BpfSharp.slnx -c Release"
build_log="$RESULTS/build.log"
if ! dotnet build BpfSharp.slnx -c Release -nologo >"$build_log" 2>&1; then
  cat "$build_log"
  echo
  echo "dotnet build failed (log: $build_log)"
  echo "BUILD FAILED"
  exit 1
fi

# --- (d) run every test project --------------------------------------------------------------------
shopt -s nullglob
projects=(tests/*/*.csproj)
shopt -u nullglob
((${#projects[@]})) || warn "no test projects found under tests/*/"

# Reads one attribute of the TRX <Counters .../> element (0 when absent).
counter() { # FILE NAME
  local v
  v=$(grep -o '<Counters [^>]*>' "$1" | head -n1 | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p")
  echo "${v:-0}"
}
# Names of failed tests in a TRX file, one a line.
failed_names() {
  grep -o '<UnitTestResult [^>]*>' "$1" | grep 'outcome="Failed"' \
    | sed 's/.* testName="\([^"]*\)".*/\1/; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
}

total_passed=0 total_failed=0 total_skipped=0 broken=0
summary=()
for proj in "${projects[@]}"; do
  name=$(basename "$proj" .csproj)
  trx="$RESULTS/$name.trx"
  log "dotnet test $name"
  dotnet test --project "$proj" --no-build -c Release --no-progress \
    --results-directory "$RESULTS" --report-xunit-trx --report-xunit-trx-filename "$name.trx" \
    "${test_args[@]}"
  rc=$?
  if [[ ! -s $trx ]]; then
    summary+=("$name: FAILED TO RUN (exit code $rc, no TRX produced)")
    broken=$((broken + 1))
    continue
  fi
  p=$(counter "$trx" passed)
  f=$(($(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted)))
  s=$(counter "$trx" notExecuted)
  t=$(counter "$trx" total)
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f)) total_skipped=$((total_skipped + s))
  line="$name: $p passed, $f failed, $s skipped"
  # Exit codes of Microsoft.Testing.Platform: 0 ok, 2 tests failed, 8 zero tests ran.
  if ((rc == 8 && t == 0)); then
    line+=" (no tests ran)"
  elif ((rc != 0 && f == 0)); then
    line+=" (FAILED: exit code $rc with no failed test in the TRX)"
    broken=$((broken + 1))
  fi
  summary+=("$line")
  while IFS= read -r n; do [[ -n $n ]] && summary+=("    failed: $n"); done < <(failed_names "$trx")
done

# --- (e) summary ---------------------------------------------------------------------------------
echo
echo "Test summary (TRX files in ${RESULTS#"$ROOT"/}/):"
for l in "${summary[@]}"; do echo "  $l"; done
echo "$total_passed passed, $((total_failed + broken)) failed, $total_skipped skipped"
((total_failed == 0 && broken == 0))
