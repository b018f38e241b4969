#!/usr/bin/env bash
# Sets up a Debian or Ubuntu machine for Regulars: system libraries for the desktop app (WebKitGTK),
# Rust if missing, and with --test the end-to-end test tools (Xvfb, WebKitWebDriver, tauri-driver),
# Dovecot (the IMAP server the mailbox test starts on the loopback), PostgreSQL (the shared shop's
# tests start their own servers from it) and the Tauri CLI that builds the .deb. Safe to run
# again: it installs only what is missing.
#   scripts/setup.sh          what building and running the app needs
#   scripts/setup.sh --test   plus what the tests need
#   scripts/setup.sh --run    set up, then build and launch the app on its default database
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
packages=(build-essential pkg-config libssl-dev libdbus-1-dev curl file libwebkit2gtk-4.1-dev)
if [[ "$mode" == "--test" ]]; then
  packages+=(xvfb webkit2gtk-driver dovecot-imapd postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  # The tests make their own PostgreSQL clusters; the package's default one would only idle.
  if [[ " ${missing[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
    $sudo mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "setup: installing Rust (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  source "$HOME/.cargo/env"
fi

if [[ "$mode" == "--test" ]]; then
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --quiet
  if [[ ! -x node_modules/.bin/tauri ]]; then
    command -v npm >/dev/null || { sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"; $sudo apt-get install -y -qq npm >/dev/null; }
    # npm install, not npm ci: npm 11 leaves other platforms' optional binaries out of the lock file,
    # which npm ci then refuses; the exact version in package.json keeps it reproducible.
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

if [[ "$mode" == "--run" ]]; then
  exec cargo run --locked -p regulars-app
fi
echo "setup: ready"
