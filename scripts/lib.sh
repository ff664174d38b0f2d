# Shared by scripts/test and scripts/api-fuzz: named steps, a message naming the
# step that failed, system packages installed only when we may, and the
# paradiplo binary found where cargo puts it (CARGO_TARGET_DIR or not).
# Source it; it defines functions only.

# run_step NAME COMMAND...: runs COMMAND; on failure says which step failed and
# returns its exit status (so `set -e` stops the script there).
run_step() {
  local name="$1"
  shift
  echo "== [$name]"
  local status=0
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "scripts: step «$name» FAILED (exit $status)" >&2
    return "$status"
  fi
}

# cargo_target_dir: where cargo writes its binaries for this workspace.
cargo_target_dir() {
  cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# install_debian PACKAGE...: installs Debian packages as root or through
# passwordless sudo; otherwise says what to install and fails.
install_debian() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "scripts: missing Debian packages; install them, then run again:" >&2
      echo "  sudo apt-get install $*" >&2
      return 1
    fi
  fi
  echo "scripts: installing $* (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# need_packages CMD PACKAGE...: installs the PACKAGEs when the command CMD (a
# name on the PATH or an executable path) is missing.
need_packages() {
  local cmd="$1"
  shift
  if command -v "$cmd" >/dev/null 2>&1; then return 0; fi
  install_debian "$@"
}
