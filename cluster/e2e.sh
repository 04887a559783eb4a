#!/usr/bin/env bash
# make e2e: the README's "Install on a cluster", run as a user would, on the cluster of `make cluster`,
# with the chart's default values and the shipped examples; then the field report's case on the node,
# Enforce, agent and operator restarts, and the way out (delete the policies, helm uninstall).
# Every failing step prints the pods' events and the last lines of the kubelet's, operator's and agent's
# logs. The cluster is always torn down at the end (TCPHEALTH_E2E_KEEP=1 keeps it).
. "$(dirname "$0")/lib.sh"
started=$SECONDS
cd "$repo"

teardown() {
  local st=$?
  if [ "${TCPHEALTH_E2E_KEEP:-}" = 1 ]; then
    say "Keeping the cluster (make cluster-down removes it)"
  else
    bash "$here/down.sh" || st=1
  fi
  if [ $st -eq 0 ]; then
    echo "e2e: passed in $((SECONDS - started)) s"
  else
    echo "e2e: FAILED after $((SECONDS - started)) s" >&2
  fi
  exit $st
}
if [ -f "$NODE/holder.pid" ] && kill -0 "$(cat "$NODE/holder.pid")" 2>/dev/null; then
  die "A cluster of make cluster is running; the e2e needs a fresh one and removes it at the end (make cluster-down first)"
fi
trap teardown EXIT

up=$(bash "$here/up.sh")
eval "$(echo "$up" | grep -E '^(KUBECONFIG|NODE_NETNS)=' | sed 's/^/export /')"
# helm and kubectl on the PATH, as the README assumes.
mkdir -p "$NODE/bin"
ln -sf "$(bash "$here/helm.sh")" "$NODE/bin/helm"
ln -sf "$K8S_BIN/kubectl" "$NODE/bin/kubectl"
export PATH=$NODE/bin:$PATH

step_name=""
step() { step_name=$1; echo; echo "=== e2e step $1"; }
diagnostics() {
  echo "--- pods" && kubectl get pods -A -o wide 2>&1
  echo "--- events" && kubectl get events -A --sort-by=.lastTimestamp 2>&1 | tail -n 25
  for p in $(kubectl get pods -A --no-headers 2>/dev/null | awk '$3 !~ /^([0-9]+)\/\1$/ || $4 != "Running" {print $1 "/" $2}'); do
    echo "--- describe pod $p" && kubectl -n "${p%/*}" describe pod "${p#*/}" 2>&1 | tail -n 25
  done
  echo "--- kubelet (last lines)" && tail -n 15 "$NODE/logs/kubelet.log"
  echo "--- operator (last lines)" && kubectl -n tcphealth-system logs deployment/tcphealth-operator --tail=25 2>&1
  echo "--- agent (last lines)" && kubectl -n tcphealth-agents logs daemonset/tcphealth-agent --tail=25 2>&1
}
fail() {
  trap - ERR
  set +e
  echo "e2e step $step_name FAILED: $*" >&2
  diagnostics >&2
  exit 1
}
# Retries a check until it passes: WHAT SECONDS COMMAND...
eventually() {
  local what=$1 limit=$2 t0=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -ge "$limit" ] && fail "$what (not within ${limit}s)"
    sleep 2
  done
  echo "  ok: $what ($((SECONDS - t0)) s)"
}
node_sysctl() { ip netns exec "$NODE_NETNS" cat "/proc/sys/net/ipv4/$1"; }
thn() { kubectl get thn "$NODE_NAME" -o "jsonpath=$1"; }

# Any other command that fails ends the step the same way.
trap 'fail "command failed: $BASH_COMMAND"' ERR

# --------------------------------------------------------------------------------------------------------
step "1: helm install with the chart's default values"
helm install tcphealth charts/tcphealth >/dev/null || fail "helm install"
kubectl -n tcphealth-system rollout status deployment/tcphealth-operator --timeout=180s || fail "operator not Ready"
[ -z "$(kubectl get tcphealth -o name)" ] || fail "kubectl get tcphealth is not empty after install"
kubectl get tcphealth 2>&1

# --------------------------------------------------------------------------------------------------------
step "2: the observe example starts the agent, which reports its node"
kubectl apply -f examples/observe-all-nodes.yaml || fail "kubectl apply"
eventually "agent DaemonSet created by the operator" 60 kubectl -n tcphealth-agents get daemonset tcphealth-agent
kubectl -n tcphealth-agents rollout status daemonset/tcphealth-agent --timeout=180s || fail "agent not Ready"
has_scan() { [ -n "$(thn '{.status.lastScan.time}')" ]; }
eventually "TcpHealthNode $NODE_NAME reports a scan" 90 has_scan
agent_log=$(kubectl -n tcphealth-agents logs daemonset/tcphealth-agent)
echo "$agent_log" | grep "Host network namespace" || fail "the agent did not say which namespace it takes as the host's"
node_inode=$(stat -L -c %i "/run/netns/$NODE_NETNS")
echo "$agent_log" | grep -q "Host network namespace: net:\[$node_inode\]" || fail "the agent did not take the node's namespace net:[$node_inode]"
# The agent's JVM maps the image's ahead-of-time cache: a cache the JVM cannot use is ignored without failing.
agent_pid=$(pgrep -f '/opt/tcphealth/tcphealth.jar run' | head -n 1)
[ -n "$agent_pid" ] || fail "no agent JVM found on the node"
grep -m 1 '/opt/tcphealth/tcphealth.aot' "/proc/$agent_pid/maps" \
  || fail "the agent's JVM (pid $agent_pid) did not map its ahead-of-time cache /opt/tcphealth/tcphealth.aot"
kubectl get tcphealth && kubectl get thn

# --------------------------------------------------------------------------------------------------------
step "3: the field report's case on the node"
sed "s/NODE_IP/$NODE_IP/" "$here/e2e/field-report-pod.yaml" | kubectl apply -f - >/dev/null || fail "workload pod"
kubectl wait --for=condition=Ready pod/checkout --timeout=60s || fail "workload pod not Ready"
echo "  in the node's namespace:"
ip netns exec "$NODE_NETNS" ss -tan 'sport = :9080' | sed 's/^/    /'
counts() { # CLOSE_WAIT FIN_WAIT1 ZOMBIES at least
  [ "$(thn '{.status.states.closeWait}')" -ge "$1" ] && [ "$(thn '{.status.states.finWait1}')" -ge "$2" ] \
    && [ "$(thn '{.status.zombies.count}')" -ge "$3" ]
}
interval=$(kubectl get tcphealth observe-all-nodes -o jsonpath='{.spec.interval}')
eventually "CLOSE_WAIT, FIN_WAIT1 and zombie counts on $NODE_NAME (interval $interval)" 130 counts 3 2 3
names_pod() { thn '{.status.findings[*].pod}' | grep -qw "default/checkout\|checkout"; }
eventually "a finding names the workload pod" 70 names_pod
policy_counts() { [ "$(kubectl get tcphealth observe-all-nodes -o jsonpath='{.status.totals.closeWait}')" -ge 3 ]; }
eventually "the policy's totals" 60 policy_counts
pod_event() { kubectl describe pod checkout | grep -A20 '^Events:' | grep -qE 'CloseWait|UnreadReceiveQueue'; }
eventually "kubectl describe pod checkout shows the leak Event" 70 pod_event
echo "--- captured: kubectl get tcphealth / kubectl get thn"
echo "\$ kubectl get tcphealth"; kubectl get tcphealth
echo "\$ kubectl get thn"; kubectl get thn
echo "--- kubectl describe pod checkout (events)"
kubectl describe pod checkout | sed -n '/^Events:/,$p'

# --------------------------------------------------------------------------------------------------------
step "4: Enforce"
# The shipped Enforce example, quicker: scans every 5 s and acts on sockets and zombies older than 30 s (the least the schema allows)
# instead of 10 and 5 minutes. tcpMaxOrphans and the orphan flush are left out: tcp_max_orphans is one
# value for the whole machine (no network namespace has its own), which the e2e must not change.
declare -A before
for k in tcp_keepalive_time tcp_keepalive_intvl tcp_keepalive_probes tcp_fin_timeout tcp_orphan_retries; do
  before[$k]=$(node_sysctl $k)
done
machine_before=$(sysctl -n net.ipv4.tcp_keepalive_time net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_orphans | tr '\n' ' ')
kubectl label node "$NODE_NAME" tcphealth.io/pool=checkout --overwrite >/dev/null
sed -e 's/^  interval: 30s/  interval: 5s/' -e 's/olderThan: 10m/olderThan: 30s/' -e 's/olderThan: 5m/olderThan: 30s/' \
    -e 's/stuckAfter: 5m/stuckAfter: 30s/' -e '/tcpMaxOrphans/d' -e '/Global to the node/d' \
    -e '/flushOrphans:/,/cooldown:/s/enabled: true/enabled: false/' examples/checkout-enforce.yaml > "$NODE/checkout-enforce.yaml"
kubectl apply -f "$NODE/checkout-enforce.yaml" || fail "kubectl apply (Enforce)"
sysctls_applied() {
  [ "$(node_sysctl tcp_keepalive_time)" = 600 ] && [ "$(node_sysctl tcp_keepalive_intvl)" = 15 ] \
    && [ "$(node_sysctl tcp_keepalive_probes)" = 3 ] && [ "$(node_sysctl tcp_fin_timeout)" = 30 ] \
    && [ "$(node_sysctl tcp_orphan_retries)" = 2 ]
}
eventually "sysctls applied in the node's namespace" 60 sysctls_applied
no_stuck() { [ -z "$(ip netns exec "$NODE_NETNS" ss -Htan '( sport = :9080 ) and ( state close-wait or state fin-wait-1 )')" ]; }
eventually "CLOSE_WAIT and FIN_WAIT1 sockets on :9080 destroyed" 90 no_stuck
zombie_parent=$(pgrep -f '^/socklab zombies' | head -1)
no_zombies() { [ -z "$(ps -o pid= --ppid "$zombie_parent" -o stat= | awk '$2 ~ /Z/')" ]; }
eventually "zombies reaped after their parent (pid $zombie_parent) was signalled" 90 no_zombies
actions() { thn '{.status.actions[*].kind}' | grep -q . ; }
eventually "the node's status lists the actions" 30 actions
kubectl get thn "$NODE_NAME" -o jsonpath='{range .status.actions[*]}{.kind}{"\t"}{.target}{"\t"}{.result}{"\n"}{end}' | head -n 12
[ "$(sysctl -n net.ipv4.tcp_keepalive_time net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_orphans | tr '\n' ' ')" = "$machine_before" ] \
  || fail "the machine's own sysctls changed"
echo "  ok: the machine's own sysctls are unchanged ($machine_before)"

# --------------------------------------------------------------------------------------------------------
step "5: agent and operator restarts"
# The journal of changes only: the socket ages kept beside it (ages.tsv) follow the sockets and may shrink.
journal=$NODE/root/var-lib/tcphealth/journal/journal.log
journal_before=$(wc -l < "$journal")
old_agent=$(kubectl -n tcphealth-agents get pods -l app.kubernetes.io/name=tcphealth-agent -o name)
kubectl -n tcphealth-agents delete "$old_agent" --wait=true >/dev/null || fail "delete agent pod"
kubectl -n tcphealth-agents rollout status daemonset/tcphealth-agent --timeout=120s || fail "agent replacement not Ready"
new_agent=$(kubectl -n tcphealth-agents get pods -l app.kubernetes.io/name=tcphealth-agent -o name)
[ "$new_agent" != "$old_agent" ] || fail "the agent pod was not replaced"
sleep 15
sysctls_applied || fail "sysctls changed after the agent restarted"
journal_after=$(wc -l < "$journal")
[ "$journal_after" = "$journal_before" ] || fail "the new agent wrote $((journal_after - journal_before)) more journal lines"
originals=$(thn '{range .status.sysctls[*]}{.name}={.original}{" "}{end}')
echo "  originals reported by $new_agent: $originals"
echo "$originals" | grep -q "tcp_keepalive_time=${before[tcp_keepalive_time]}" || fail "the original keepalive value was overwritten"
echo "  ok: the replacement replayed the journal and changed nothing ($journal_after journal lines before and after)"

old_op=$(kubectl -n tcphealth-system get pods -l app.kubernetes.io/name=tcphealth-operator -o jsonpath='{.items[0].metadata.name}')
kubectl -n tcphealth-system delete pod "$old_op" --wait=false >/dev/null
new_leader() {
  local holder
  holder=$(kubectl -n tcphealth-agents get lease tcphealth-operator -o jsonpath='{.spec.holderIdentity}')
  [ -n "$holder" ] && [ "$holder" != "$old_op" ] && kubectl -n tcphealth-system get pod "$holder" >/dev/null
}
eventually "a new operator holds the lease" 120 new_leader
kubectl patch tcphealth checkout-nodes --type merge -p '{"spec":{"interval":"6s"}}' >/dev/null
goes_on() { [ "$(thn '{.spec.interval.value}')" = 6s ] || thn '{.spec}' | grep -q '"6s"'; }
eventually "the new operator reconciles a change" 60 goes_on

# --------------------------------------------------------------------------------------------------------
step "6: delete the policies, then helm uninstall"
kubectl delete tcphealth --all --wait=false >/dev/null
restored() {
  local k
  for k in "${!before[@]}"; do [ "$(node_sysctl "$k")" = "${before[$k]}" ] || return 1; done
}
eventually "every sysctl restored in the node's namespace" 120 restored
eventually "the policies are gone" 120 sh -c '[ -z "$(kubectl get tcphealth -o name)" ]'
eventually "the agent DaemonSet is removed" 60 sh -c '! kubectl -n tcphealth-agents get daemonset tcphealth-agent'
helm uninstall tcphealth --wait --timeout 180s >/dev/null || fail "helm uninstall"
gone() {
  [ -z "$(kubectl get tcphealth,thn -o name)" ] && ! kubectl get namespace tcphealth-system tcphealth-agents \
    && [ -z "$(kubectl get pods -A -l app.kubernetes.io/name=tcphealth-agent -o name)" ] \
    && [ -z "$(kubectl get clusterroles,clusterrolebindings,validatingadmissionpolicies,validatingadmissionpolicybindings -l app.kubernetes.io/instance=tcphealth -o name)" ]
}
eventually "nothing of tcphealth is left (objects, namespaces, agents)" 180 gone
echo "  (Helm keeps the CRDs of a chart's crds/ folder: $(kubectl get crd -o name | grep tcphealth | tr '\n' ' '))"
