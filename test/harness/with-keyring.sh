#!/usr/bin/env bash
# Runs a command against a real, throw-away Secret Service: a private D-Bus session with
# gnome-keyring unlocked on a fresh XDG_DATA_HOME, so tests never touch (or get locked out by)
# the user's own keychain. Usage: with-keyring.sh COMMAND [ARGS…]
# macOS and Windows (Git Bash) have one OS keychain and no way to make a private one: the command
# runs against it, which is safe because every test run uses its own random service name.
set -euo pipefail
[ "$(uname -s)" = Linux ] || exec "$@"
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (apt-get install dbus-x11 gnome-keyring)" >&2; exit 5; }
done
if [ -z "${ZOOM_TRAY_IN_KEYRING:-}" ]; then
  scratch=$(mktemp -d -t zoom-tray-keyring.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/data" "$scratch/runtime"
  chmod 700 "$scratch/runtime"
  ZOOM_TRAY_IN_KEYRING=1 XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" \
    dbus-run-session --dbus-daemon="$(dirname "$0")/quiet-dbus-daemon.sh" -- bash "$0" "$@"
  exit $?
fi
# Inside the private session: start the daemon with a throw-away password and export its socket.
eval "$(printf 'zoom-tray-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
