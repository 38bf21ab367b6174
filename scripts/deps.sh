#!/usr/bin/env bash
# Installs what Roundtable needs on Debian 12 and is missing.
#   scripts/deps.sh build   -> compiler, libraries
#   scripts/deps.sh test    -> build + browser, Java (HTML checker), Node test tools
# As root it runs apt-get; otherwise it prints the exact apt-get line and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(g++ cmake make pkg-config libboost-dev libboost-system-dev
  libsqlite3-dev libsqlitecpp-dev libkainjow-mustache-dev libcmark-gfm-dev
  libcmark-gfm-extensions-dev libsodium-dev nlohmann-json3-dev libspdlog-dev
  libfmt-dev libcli11-dev libgtest-dev libgmock-dev libgmime-3.0-dev
  libcurl4-openssl-dev
  libmagic-dev)
test_pkgs=(chromium nodejs npm default-jre-headless curl openssl sqlite3)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  # npm/nodejs may come from outside Debian on some images; a working command is enough.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
    default-jre-headless) command -v java >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages. Run as root:  apt-get update && $line" >&2
    exit 1
  fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

if [ "${1:-build}" = test ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
