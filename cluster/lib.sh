# Shared settings of the one-node cluster scripts. Sourced, not run.
#
# Two places on disk:
#   $CACHE  built things kept between runs: base image, pause and test images, helm (make cluster reuses them)
#   $NODE   the running node's state: certificates, kubeconfigs, etcd data, containerd's and the kubelet's
#           files, logs. make cluster-down removes it, with every process, mount and namespace the node made.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=../control-plane/versions.env
. "$repo/control-plane/versions.env"

CACHE=${TCPHEALTH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcphealth}/cluster
NODE=$CACHE/node
NETNS=${TCPHEALTH_NODE_NETNS:-tcphealth-node}
NODE_NAME=${TCPHEALTH_NODE_NAME:-tcphealth-node}
K8S_BIN=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$KUBERNETES_VERSION-linux-amd64
# Addresses that exist only inside the node's namespace (and the pods' namespaces under it).
NODE_IP=10.200.0.2
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
SERVICE_IP=10.96.0.1
# The images the chart's default values name, as containerd spells them.
APP_VERSION=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$repo/charts/tcphealth/Chart.yaml")
OPERATOR_IMAGE=docker.io/tcphealth/operator:$APP_VERSION
AGENT_IMAGE=docker.io/tcphealth/agent:$APP_VERSION
PAUSE_IMAGE=registry.k8s.io/pause:3.10.1
BASE_IMAGE=localhost/tcphealth/java-base:25
SOCKLAB_IMAGE=localhost/tcphealth/socklab:e2e
JDK=${TCPHEALTH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: $*" >&2; exit 1; }

# buildah with its storage in the cache: no daemon, nothing under /var/lib/containers.
bah() { buildah --root "$CACHE/buildah/root" --runroot "$CACHE/buildah/run" --storage-driver vfs "$@"; }

# A command inside the node: its network namespace and its mount namespace (held by the node's holder process).
in_node() { nsenter -t "$(cat "$NODE/holder.pid")" -m -n -- "$@"; }
