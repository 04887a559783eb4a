#!/usr/bin/env bash
# Builds the images the node runs, without a daemon and without pulling anything:
#   - a base image: a minimal Debian root file system (debootstrap) plus a Java 25 runtime made with jlink
#     from the JDK on this machine, laid out like the public eclipse-temurin:25-jre (java in /opt/java/openjdk);
#   - the pause image: pause.c from the Kubernetes release of control-plane/versions.env, linked statically;
#   - the test workload image: socklab, the kernel tests' helper that makes stuck TCP states;
#   - the operator and agent images, from the shipped Dockerfiles, on the local base (BASE_IMAGE build arg),
#     under the names and tags of the chart's default values.
# Each image is left as a docker-archive tar in $CACHE/images; the first three are rebuilt only when their
# inputs change.
. "$(dirname "$0")/lib.sh"
for tool in buildah debootstrap gcc; do
  command -v $tool >/dev/null || die "$tool is missing (Debian: apt-get install buildah debootstrap gcc libc6-dev)"
done
[ -x "$JDK/bin/jlink" ] || die "No JDK 25 at $JDK (set TCPHEALTH_JDK)"
mkdir -p "$CACHE/images" "$CACHE/base"
images=$CACHE/images

# Debian's minimal root file system; the chroot's /proc and /sys are mounted by debootstrap itself and
# unmounted again here should it stop half-way.
suite=bookworm
rootfs=$CACHE/base/rootfs-$suite
if [ ! -f "$rootfs.done" ]; then
  say "Making a minimal Debian $suite root file system (debootstrap, about a minute)"
  rm -rf "$rootfs"
  trap 'for m in proc sys dev/pts dev; do umount -l "$rootfs/$m" 2>/dev/null || true; done' EXIT
  debootstrap --variant=minbase "$suite" "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$CACHE/base/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $CACHE/base/debootstrap.log"
  trap - EXIT
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
         "$rootfs"/usr/share/locale/*
  touch "$rootfs.done"
fi

# The Java runtime: the modules of the Java SE platform plus what the agent and operator use beyond it.
modules=java.se,jdk.unsupported,jdk.httpserver,jdk.management,jdk.management.agent,jdk.jfr,jdk.zipfs,jdk.naming.dns,jdk.net,jdk.crypto.cryptoki
jdk_release=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release")
jre=$CACHE/base/jre-$jdk_release
if [ ! -f "$jre.done" ]; then
  say "Linking a Java $jdk_release runtime with jlink"
  rm -rf "$jre"
  "$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$jre" >&2
  touch "$jre.done"
fi

base_stamp="$suite $jdk_release $modules"
if [ "$(cat "$CACHE/base/image.stamp" 2>/dev/null)" != "$base_stamp" ] || ! bah inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "Assembling the base image $BASE_IMAGE"
  c=$(bah from --pull=false scratch)
  m=$(bah mount "$c")
  cp -a "$rootfs"/. "$m"/
  mkdir -p "$m/opt/java"
  cp -a "$jre" "$m/opt/java/openjdk"
  bah umount "$c" >/dev/null
  bah config --env JAVA_HOME=/opt/java/openjdk \
    --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 --cmd '["bash"]' "$c"
  bah commit --quiet --rm "$c" "$BASE_IMAGE" >/dev/null
  echo "$base_stamp" > "$CACHE/base/image.stamp"
fi

# An image from scratch holding one static binary.
static_image() { # NAME BINARY PATH_IN_IMAGE TAR
  local c
  c=$(bah from --pull=false scratch)
  bah copy "$c" "$2" "$3" >/dev/null
  bah config --entrypoint "[\"$3\"]" --cmd '[]' "$c"
  bah commit --quiet --rm "$c" "$1" >/dev/null
  rm -f "$4"
  bah push --quiet "$1" "docker-archive:$4:$1" >/dev/null
}

pause_src=$(go env GOMODCACHE 2>/dev/null || echo "$HOME/go/pkg/mod")/k8s.io/kubernetes@v$KUBERNETES_VERSION/build/pause/linux/pause.c
if [ ! -f "$pause_src" ]; then
  say "Fetching k8s.io/kubernetes v$KUBERNETES_VERSION for pause.c"
  (cd "$CACHE" && GOFLAGS=-mod=mod go mod download "k8s.io/kubernetes@v$KUBERNETES_VERSION" >&2)
fi
if [ ! -f "$images/pause.tar" ] || [ "$pause_src" -nt "$images/pause.tar" ]; then
  say "Building the pause image $PAUSE_IMAGE from $pause_src"
  mkdir -p "$CACHE/pause"
  gcc -Os -Wall -Werror -static -DVERSION="v$KUBERNETES_VERSION-local" -o "$CACHE/pause/pause" "$pause_src"
  strip "$CACHE/pause/pause"
  static_image "$PAUSE_IMAGE" "$CACHE/pause/pause" /pause "$images/pause.tar"
fi

socklab_src=$repo/test-support/src/main/c/socklab.c
if [ ! -f "$images/socklab.tar" ] || [ "$socklab_src" -nt "$images/socklab.tar" ]; then
  say "Building the test workload image $SOCKLAB_IMAGE"
  mkdir -p "$CACHE/socklab"
  gcc -O2 -Wall -static -pthread -o "$CACHE/socklab/socklab" "$socklab_src"
  static_image "$SOCKLAB_IMAGE" "$CACHE/socklab/socklab" /socklab "$images/socklab.tar"
fi

# The product images, from the very Dockerfiles a Docker user builds; the jars must have been built.
[ -f "$repo/operator/target/tcphealth-operator.jar" ] && [ -f "$repo/node-agent/target/tcphealth.jar" ] \
  || die "Build the jars first (make jars)"
build_product() { # DOCKERFILE IMAGE TAR INPUT...
  local dockerfile=$1 image=$2 tar=$3 stamp
  shift 3
  stamp=$(cat "$repo/$dockerfile" "$CACHE/base/image.stamp" "$@" | sha256sum | cut -c1-32)
  if [ -f "$tar" ] && [ "$(cat "$tar.stamp" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  say "Building $image from $dockerfile (base $BASE_IMAGE)"
  bah bud --quiet --pull=false --build-arg BASE_IMAGE="$BASE_IMAGE" -f "$repo/$dockerfile" -t "$image" "$repo" >/dev/null
  rm -f "$tar"
  bah push --quiet "$image" "docker-archive:$tar:$image" >/dev/null
  echo "$stamp" > "$tar.stamp"
}
build_product operator/Dockerfile "$OPERATOR_IMAGE" "$images/operator.tar" "$repo/operator/target/tcphealth-operator.jar"
build_product node-agent/Dockerfile "$AGENT_IMAGE" "$images/agent.tar" "$repo/node-agent/target/tcphealth.jar" \
  "$repo/node-agent/src/main/jvm/agent.jvm-args"
say "Images ready in $images: $(cd "$images" && ls ./*.tar | tr '\n' ' ')"
