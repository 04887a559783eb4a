#!/usr/bin/env bash
# make cluster-down: stops every process of the node, removes its network namespace (and with it every
# address, bridge, veth and iptables rule the cluster made), its mount namespace and mounts, its cgroups and
# its state directory. The cache of built images stays.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "make cluster-down needs root"

node_net=$(stat -L -c %i "/run/netns/$NETNS" 2>/dev/null || true)
holder=$(cat "$NODE/holder.pid" 2>/dev/null || true)
node_mnt=$( [ -n "$holder" ] && readlink "/proc/$holder/ns/mnt" 2>/dev/null || true)
cgroup_root=tcphealth-node
# A stale pid file may name a process that has nothing to do with the node: never take this machine's own
# namespaces for the node's.
[ "$node_net" = "$(stat -L -c %i /proc/self/ns/net)" ] && node_net=""
[ "$node_mnt" = "$(readlink /proc/self/ns/mnt)" ] && node_mnt=""

# Every process of the node: those started by make cluster, those in its namespaces (shims, hostNetwork
# pods) and those in its cgroups (every container).
node_processes() {
  local p
  for p in "$NODE"/pids/*; do
    # the daemons name the node's directory or namespace on their command line
    [ -f "$p" ] && tr '\0' ' ' 2>/dev/null < "/proc/$(cat "$p")/cmdline" | grep -qE "$NODE|$NETNS" && cat "$p"
  done
  for p in /proc/[0-9]*; do
    if { [ -n "$node_net" ] && [ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$node_net" ]; } \
       || { [ -n "$node_mnt" ] && [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$node_mnt" ]; }; then
      echo "${p#/proc/}"
    fi
  done
  find /sys/fs/cgroup/*/"$cgroup_root" /sys/fs/cgroup/"$cgroup_root" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}
stop() { # SIGNAL: signals what is left; true when nothing is
  local left
  left=$(node_processes | sort -un | grep -vx "$$" || true)
  [ -z "$left" ] && return 0
  # shellcheck disable=SC2086
  kill "-$1" $left 2>/dev/null || true
  return 1
}

# The kubelet first, so that it does not restart containers while they go; then everything at once.
[ -f "$NODE/pids/kubelet" ] && kill -TERM "$(cat "$NODE/pids/kubelet")" 2>/dev/null || true
stop TERM || true
for _ in $(seq 20); do
  stop 0 && break
  sleep 0.5
done
for _ in $(seq 20); do
  stop KILL && break
  sleep 0.5
done
node_processes | sort -un | grep -q . && echo "cluster: processes still running: $(node_processes | sort -un | tr '\n' ' ')" >&2

ip netns list 2>/dev/null | grep -qw "$NETNS" && ip netns delete "$NETNS"

# cgroups, deepest first (only empty ones can go).
for d in /sys/fs/cgroup/*/"$cgroup_root" /sys/fs/cgroup/"$cgroup_root"; do
  [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
done

# The node's mounts lived in its own mount namespace, gone with its last process; nothing may be mounted
# under its state directory from this machine's side either.
if grep -q " $NODE" /proc/self/mountinfo; then
  grep " $NODE" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l
fi
rm -rf "$NODE"
left=""
ip netns list 2>/dev/null | grep -qw "$NETNS" && left+=" netns"
ls -d /sys/fs/cgroup/*/"$cgroup_root" /sys/fs/cgroup/"$cgroup_root" >/dev/null 2>&1 && left+=" cgroups"
[ -e "$NODE" ] && left+=" $NODE"
[ -z "$left" ] || die "could not remove:$left"
say "Cluster down: no process, namespace, mount or cgroup of the node is left"
