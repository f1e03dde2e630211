#!/usr/bin/env bash
# Installs what the platform and its tests need from Debian's packages (as root, non-interactive)
# and starts dockerd when it is not running. Safe to run again: it only acts on what is missing.
# Usage: scripts/install-deps.sh [package ...]   (default: zookeeper docker.io)
set -euo pipefail

packages=("$@")
[ ${#packages[@]} -eq 0 ] && packages=(zookeeper docker.io)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Serialise with other callers (parallel test processes) on apt's own lock.
  apt-get -o DPkg::Lock::Timeout=300 update -q >&2 || true
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# Debian's zookeeper package starts a system-wide server on 2181 on some setups; ours run their own.
for p in "${packages[@]}"; do
  if [ "$p" = docker.io ]; then
    if ! docker info >/dev/null 2>&1; then
      echo "install-deps: starting dockerd" >&2
      mkdir -p /var/log
      (setsid nohup dockerd >/var/log/cloud-dockerd.log 2>&1 &)
      for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && break
        sleep 1
      done
      docker info >/dev/null 2>&1 || { echo "install-deps: dockerd did not start; see /var/log/cloud-dockerd.log" >&2; exit 1; }
    fi
  fi
done
