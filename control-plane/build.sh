#!/usr/bin/env bash
# Builds (or finds in its cache) etcd and the Kubernetes binaries at the versions of versions.env,
# from their published Go modules. Nothing of their source is kept in this repository: the wrapper
# modules are generated in the cache, their `replace` lines taken from the release's own go.mod.
#
#   control-plane/build.sh [node]   # `node` adds kubelet, kube-scheduler and kube-proxy
#
# The cache is laid out as fabric8's kube-api-test expects:
#   ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kubectl,...}
# The last line printed is that folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

command -v go >/dev/null || {
  echo "Building the control plane needs Go 1.24 or newer (Debian: apt-get install golang, or https://go.dev/dl)" \
       "and access to the Go module proxy." >&2
  exit 3
}

arch=amd64
root=${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}
out="$root/k8s/$KUBERNETES_VERSION-linux-$arch"
work="$root/build/k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
stamp="kubernetes=$KUBERNETES_VERSION etcd=$ETCD_VERSION"

components=(kube-apiserver kube-controller-manager kubectl)
[ "${1:-}" = node ] && components+=(kube-scheduler kubelet kube-proxy)

missing=()
[ -x "$out/etcd" ] && [ "$(cat "$out/.versions" 2>/dev/null)" = "$stamp" ] || missing+=(etcd)
for c in "${components[@]}"; do
  [ -x "$out/$c" ] && [ "$(cat "$out/.versions" 2>/dev/null)" = "$stamp" ] || missing+=("$c")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "Control plane $stamp found in the cache" >&2
  echo "$out"
  exit 0
fi

echo "Building ${missing[*]} ($stamp) from source: the first build takes several minutes" \
     "(about 10 on 2 cores); later runs reuse $out" >&2
mkdir -p "$out" "$work/k8s" "$work/etcd"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=${GOTOOLCHAIN:-local}
started=$SECONDS

# Kubernetes: a wrapper module requiring k8s.io/kubernetes, with one replace line for every staging
# module the release's go.mod points at ./staging (those modules are published as v0.<minor>.<patch>).
if printf '%s\n' "${missing[@]}" | grep -qv '^etcd$'; then
  cd "$work/k8s"
  echo "[1/3] Fetching k8s.io/kubernetes v$KUBERNETES_VERSION's module list" >&2
  gomod=$(go mod download -json "k8s.io/kubernetes@v$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  staging=v0.${KUBERNETES_VERSION#1.}
  {
    echo "module tcphealth.io/control-plane/kubernetes"
    echo
    echo "go $(sed -n 's/^go \(.*\)/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes v$KUBERNETES_VERSION"
    echo
    sed -n 's#^[[:space:]]*\(k8s.io/[^[:space:]]*\) => ./staging/.*#replace \1 => \1 '"$staging"'#p' "$gomod"
  } > go.mod
  cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  echo "[2/3] Resolving and downloading Kubernetes' dependencies" >&2
  go mod tidy >&2
  major=${KUBERNETES_VERSION%%.*}
  minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=v$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  for c in "${missing[@]}"; do
    [ "$c" = etcd ] && continue
    echo "[3/3] Compiling $c ($((SECONDS - started)) s so far)" >&2
    go build -trimpath -ldflags "$ldflags" -o "$out/$c.tmp" "k8s.io/kubernetes/cmd/$c" >&2
    mv "$out/$c.tmp" "$out/$c"
  done
fi

if printf '%s\n' "${missing[@]}" | grep -qx etcd; then
  cd "$work/etcd"
  echo "Compiling etcd v$ETCD_VERSION ($((SECONDS - started)) s so far)" >&2
  printf 'module tcphealth.io/control-plane/etcd\n\ngo 1.24\n' > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
  go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >&2
  go mod tidy >&2
  go build -trimpath -ldflags "-s -w" -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
  mv "$out/etcd.tmp" "$out/etcd"
fi

echo "$stamp" > "$out/.versions"
echo "Built in $((SECONDS - started)) s: $(cd "$out" && ls | tr '\n' ' ')" >&2
echo "$out"
