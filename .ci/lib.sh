# Shared helpers for test.sh and bench/run.sh. Source it; do not execute it.
# shellcheck shell=bash

# Root's sbin directories hold bpftool and ip; some shells leave them out of PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac
export PATH

log() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# ensure_packages CHECK=PACKAGE ...
# CHECK is a command name, or an absolute path to a file that must exist.
# Missing packages are installed with apt-get (one `apt-get update`, no prompts, no stdin).
ensure_packages() {
  local spec check pkg missing=()
  for spec in "$@"; do
    check=${spec%%=*} pkg=${spec#*=}
    if [[ $check == /* ]]; then
      [[ -e $check ]] && continue
    else
      command -v "$check" >/dev/null 2>&1 && continue
    fi
    missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${missing[*]}"
  log "installing missing packages: ${missing[*]}"
  local out
  if ! out=$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null 2>&1); then
    printf '%s\n' "$out" >&2
    die "apt-get update failed"
  fi
  if ! out=$("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        "${missing[@]}" </dev/null 2>&1); then
    printf '%s\n' "$out" >&2
    die "apt-get install ${missing[*]} failed"
  fi
}
