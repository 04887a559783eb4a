#!/usr/bin/env bash
# make cluster: a one-node Kubernetes cluster on this machine, all of it inside a network namespace and a
# mount namespace it creates (the node). etcd, the control plane, containerd, the kubelet and kube-proxy
# run there; pods get addresses from a bridge inside it; the service range exists only in its iptables.
# The machine's own network namespace is not changed: the one thing outside is a forwarder on 127.0.0.1
# so that kubectl and helm on this machine reach the API server.
#
# Reuses a running cluster. The last two lines are KUBECONFIG=<path> and NODE_NETNS=<name>.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "make cluster needs root (namespaces, mounts, cgroups)"
for tool in containerd containerd-shim-runc-v2 runc ctr nsenter unshare ip iptables openssl socat conntrack; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install containerd runc containernetworking-plugins iptables openssl socat conntrack)"
done
[ -x /usr/lib/cni/bridge ] || die "CNI plugins are missing (Debian: apt-get install containernetworking-plugins)"

finish() {
  echo "KUBECONFIG=$NODE/admin.kubeconfig"
  echo "NODE_NETNS=$NETNS"
}
if [ -f "$NODE/holder.pid" ] && kill -0 "$(cat "$NODE/holder.pid")" 2>/dev/null \
   && KUBECONFIG=$NODE/admin.kubeconfig "$K8S_BIN/kubectl" get --raw /readyz >/dev/null 2>&1; then
  say "Reusing the running cluster (make cluster-down stops it)"
  finish
  exit 0
fi
if [ -e "$NODE" ] || ip netns list | grep -qw "$NETNS"; then
  say "Removing what an earlier cluster left"
  bash "$here/down.sh" >&2
fi

started=$SECONDS
bash "$repo/control-plane/build.sh" node >/dev/null
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  [ -x "$K8S_BIN/$b" ] || die "$K8S_BIN/$b is missing"
done
bash "$here/images.sh"

mkdir -p "$NODE"/{logs,pids,root/var-lib,root/var-log,root/run,cni,opt,etcd,sysctl}
# From here on a failure takes everything down again.
trap 'st=$?; if [ $st -ne 0 ]; then say "Start failed; last log lines:"; tail -n 5 "$NODE"/logs/*.log >&2 2>/dev/null || true; bash "$here/down.sh" >&2; fi' EXIT

# The node's network: loopback, and a bridge without ports holding the node's address and a default
# route, so that every address outside the node leads into a device that drops it.
ip netns add "$NETNS"
ip -n "$NETNS" link set lo up
ip -n "$NETNS" link add node0 type bridge
ip -n "$NETNS" addr add "$NODE_IP/24" dev node0
ip -n "$NETNS" link set node0 up
ip -n "$NETNS" route add default dev node0

# The node's mount namespace, held by one sleeping process. Inside it, /var/lib, /var/log and /run are the
# node's own directories, so containerd and the kubelet keep their usual paths and nothing of theirs lands
# on the machine.
setsid nsenter --net="/run/netns/$NETNS" unshare --mount --propagation private sleep infinity </dev/null >/dev/null 2>&1 &
echo $! > "$NODE/holder.pid"
for _ in $(seq 50); do
  [ "$(readlink "/proc/$(cat "$NODE/holder.pid")/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && break
  sleep 0.1
done
in_node mount --bind "$NODE/root/var-lib" /var/lib
in_node mount --bind "$NODE/root/var-log" /var/log
in_node mount --bind "$NODE/root/run" /run
# The kubelet sets six kernel-wide sysctls when they differ from what it wants (vm.overcommit_memory and
# others). Those belong to the machine, not the node: inside the node's mount namespace each differing key
# reads as the kubelet's value from a plain file, and the machine's own stays as it is.
for kv in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 \
          kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000; do
  key=${kv%=*} want=${kv#*=}
  if [ "$(cat "/proc/sys/$key")" != "$want" ]; then
    f=$NODE/sysctl/${key//\//.}
    echo "$want" > "$f"
    in_node mount --bind -o ro "$f" "/proc/sys/$key"
  fi
done

# cgroups (v1 here, or v2): the kubelet's pods go under one cgroup root of the node's own.
cgroup_root=/tcphealth-node
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p "/sys/fs/cgroup$cgroup_root"
else
  for d in /sys/fs/cgroup/*/; do
    [ -d "$d" ] && [ "$(basename "$d")" != unified ] || continue
    mkdir -p "$d${cgroup_root#/}"
    if [ -f "$d/cpuset.cpus" ]; then
      cat "$d/cpuset.cpus" > "$d${cgroup_root#/}/cpuset.cpus"
      cat "$d/cpuset.mems" > "$d${cgroup_root#/}/cpuset.mems"
    fi
  done
fi

. "$here/pki.sh"

daemon() { # NAME COMMAND...: started inside the node, in a session of its own, logging to logs/NAME.log
  local name=$1; shift
  setsid nsenter -t "$(cat "$NODE/holder.pid")" -m -n -- "$@" </dev/null >"$NODE/logs/$name.log" 2>&1 &
  echo $! > "$NODE/pids/$name"
}
wait_for() { # WHAT SECONDS COMMAND...
  local what=$1 limit=$2; shift 2
  for _ in $(seq $((limit * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "$what not ready after ${limit}s"
}

say "Starting etcd and the control plane"
daemon etcd "$K8S_BIN/etcd" --name node --data-dir "$NODE/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster node=http://127.0.0.1:2380 --unsafe-no-fsync --log-level warn
daemon kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$NODE_IP" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP \
  --allow-privileged=true --profiling=false

# kubectl and helm on this machine reach the API server through 127.0.0.1; every connection is carried into
# the node's namespace by a socat started there.
port=16443
while ss -Hltn "sport = :$port" | grep -q .; do port=$((port + 1)); done
setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
  "EXEC:nsenter --net=/run/netns/$NETNS socat STDIO TCP\:$NODE_IP\:6443" </dev/null >"$NODE/logs/forwarder.log" 2>&1 &
echo $! > "$NODE/pids/forwarder"
kubeconfig "$NODE/admin.kubeconfig" "https://127.0.0.1:$port" admin
export KUBECONFIG=$NODE/admin.kubeconfig
kubectl() { "$K8S_BIN/kubectl" "$@"; }
wait_for "kube-apiserver" 90 kubectl get --raw /readyz

daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" --kubeconfig="$NODE/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$NODE/controller-manager.kubeconfig" --authorization-kubeconfig="$NODE/controller-manager.kubeconfig" \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --use-service-account-credentials=true --leader-elect=false --bind-address=127.0.0.1
daemon kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$NODE/scheduler.kubeconfig" \
  --authentication-kubeconfig="$NODE/scheduler.kubeconfig" --authorization-kubeconfig="$NODE/scheduler.kubeconfig" \
  --leader-elect=false --bind-address=127.0.0.1

say "Starting containerd and importing the images"
cat > "$NODE/containerd.toml" <<TOML
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # No CAP_SYS_RESOURCE on this machine: never ask for an oom_score_adj below containerd's own.
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE/cni"
TOML
cat > "$NODE/cni/10-pods.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "tcphealth-pods",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}}
  ]
}
JSON
daemon containerd containerd --config "$NODE/containerd.toml"
wait_for containerd 30 in_node ctr --address /run/containerd/containerd.sock version
for tar in "$CACHE"/images/*.tar; do
  in_node ctr --address /run/containerd/containerd.sock -n k8s.io images import --no-unpack=false "$tar" >/dev/null
done

say "Starting the kubelet and kube-proxy"
cat > "$NODE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: $cgroup_root
failSwapOn: false
failCgroupV1: false
# No kubelet oom_score_adj below the machine's: that needs CAP_SYS_RESOURCE.
oomScoreAdj: 0
# Pods resolve no names: nothing inside the node has a way out.
resolvConf: ""
clusterDomain: cluster.local
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
# Locally built images cannot be pulled again: image garbage collection never runs.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%", nodefs.inodesFree: "2%"}
serializeImagePulls: false
YAML
daemon kubelet "$K8S_BIN/kubelet" --config="$NODE/kubelet.yaml" --kubeconfig="$NODE/kubelet.kubeconfig" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --pod-infra-container-image="$PAUSE_IMAGE"
cat > "$NODE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $NODE/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
# conntrack limits are the machine's: leave them alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
oomScoreAdj: 0
iptables: {localhostNodePorts: false}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
daemon kube-proxy "$K8S_BIN/kube-proxy" --config="$NODE/kube-proxy.yaml"

wait_for "node $NODE_NAME" 120 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
wait_for "the default service account" 60 kubectl -n default get serviceaccount default
trap - EXIT
say "Cluster up in $((SECONDS - started)) s: node $NODE_NAME in network namespace $NETNS, API server at 127.0.0.1:$port"
finish
