#!/bin/sh
# Installs (or upgrades) the Aviation Workflow site server from this folder, as root, on a Linux
# server with systemd: a system user aviation-workflow, the program in /opt/aviation-workflow-server,
# its data in /var/lib/aviation-workflow (kept across upgrades and by uninstall.sh), and the
# service aviation-workflow-server, enabled and started.
set -eu

PREFIX=/opt/aviation-workflow-server
UNIT=aviation-workflow-server.service
SERVICE_USER=aviation-workflow
DATA=/var/lib/aviation-workflow
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "Run this as root: sudo ./install.sh" >&2
  exit 1
fi
if ! command -v systemctl >/dev/null 2>&1 || [ ! -d /run/systemd/system ]; then
  echo "This machine does not run systemd. Run the server by hand instead: $here/bin/aviation-workflow-server --help" >&2
  exit 1
fi
if ! "$here/node/bin/node" --version >/dev/null 2>&1; then
  echo "The Node in this package does not run on this machine. It needs the architecture it was built for (see VERSION)," >&2
  echo "glibc 2.28 or later and libstdc++ (Debian/Ubuntu: libstdc++6; RHEL: libstdc++)." >&2
  exit 1
fi

if ! id "$SERVICE_USER" >/dev/null 2>&1; then
  nologin=$(command -v nologin || echo /usr/sbin/nologin)
  useradd --system --user-group --home-dir "$DATA" --no-create-home --shell "$nologin" --comment "Aviation Workflow site server" "$SERVICE_USER"
  echo "Created the system user $SERVICE_USER."
fi

# Upgrade: stop the running server (it finishes the calls in flight), then swap the program folder.
if systemctl is-active --quiet "$UNIT"; then
  echo "Stopping the running server..."
  systemctl stop "$UNIT"
fi
rm -rf "$PREFIX.new"
mkdir -p "$PREFIX.new"
cp -R "$here/." "$PREFIX.new/"
chown -R root:root "$PREFIX.new"
chmod -R u=rwX,go=rX "$PREFIX.new"
chmod 0755 "$PREFIX.new/bin/aviation-workflow-server" "$PREFIX.new/bin/aviation-workflow-site-move" "$PREFIX.new/node/bin/node"
if [ -d "$PREFIX" ]; then
  rm -rf "$PREFIX.old"
  mv "$PREFIX" "$PREFIX.old"
fi
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"

install -m 0644 "$PREFIX/$UNIT" "/etc/systemd/system/$UNIT"
systemctl daemon-reload
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl enable "$UNIT"
systemctl start "$UNIT"
echo "Installed $(cat "$PREFIX/VERSION") in $PREFIX; data in $DATA."

# Show the start-up lines: the address, the site CA fingerprint and, on a first install, the first enrollment code.
i=0
while [ $i -lt 30 ] && ! journalctl -u "$UNIT" --since "$since" --no-pager -q 2>/dev/null | grep -q 'fingerprint\|could not start'; do
  sleep 1
  i=$((i + 1))
done
journalctl -u "$UNIT" --since "$since" --no-pager -q -o cat 2>/dev/null || true

cat <<TEXT

The server runs as the service aviation-workflow-server (systemctl status aviation-workflow-server).
  Fingerprint and first enrollment code:  journalctl -u aviation-workflow-server
  More enrollment codes:                  sudo $PREFIX/bin/aviation-workflow-server --new-enrollment-code --data-dir $DATA
  Health (on this machine):               curl -k https://127.0.0.1:8443/health
Terminals connect to https://<this server's address>:8443 : allow TCP port 8443 in the firewall
(e.g. ufw allow 8443/tcp, or firewall-cmd --permanent --add-port=8443/tcp && firewall-cmd --reload).
TEXT
