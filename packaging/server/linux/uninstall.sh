#!/bin/sh
# Removes the Aviation Workflow site server program and its service. Keeps the data
# (/var/lib/aviation-workflow: database, backups, TLS keys, logs) and the aviation-workflow user,
# so that installing again carries on with the same site, the same CA and the same enrolled terminals.
set -eu

PREFIX=/opt/aviation-workflow-server
UNIT=aviation-workflow-server.service

if [ "$(id -u)" -ne 0 ]; then
  echo "Run this as root: sudo ./uninstall.sh" >&2
  exit 1
fi
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now "$UNIT" 2>/dev/null || true
fi
rm -f "/etc/systemd/system/$UNIT"
if command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload || true
fi
rm -rf "$PREFIX"
cat <<TEXT
Removed the service and $PREFIX.
Kept: /var/lib/aviation-workflow (the site's data) and the user aviation-workflow.
To remove them too (this deletes the site's database and its backups for good):
  sudo rm -rf /var/lib/aviation-workflow && sudo userdel aviation-workflow
TEXT
