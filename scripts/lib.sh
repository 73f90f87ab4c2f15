# Shared by the install scripts: install Debian packages as root, through sudo, or say what to do.
apt_updated=""
apt_install() {
  local run=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then run=(sudo); else
      echo "jianbao: please install these Debian packages (as root): $*" >&2; return 0; fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "jianbao: no apt-get here; install the equivalent of: $*" >&2; return 0
  fi
  if [ -z "$apt_updated" ]; then "${run[@]}" apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
