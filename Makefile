# Quick start: `make diagnose` builds tcphealth (when its sources changed) and diagnoses this host; `make test` runs
# every test. `make -s diagnose ARGS='-o json' | jq` works: the build speaks only on stderr, the report on stdout.
# Kernel tests need root: they create (and remove) their own network namespaces.

# tcphealth needs JDK 25; take JAVA_HOME when it is one, else the usual install locations.
JAVA_HOME := $(shell for d in "$$JAVA_HOME" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*; do \
    [ -x "$$d/bin/java" ] && "$$d/bin/java" -version 2>&1 | grep -q 'version "25' && { echo "$$d"; break; }; done)
export JAVA_HOME
MVN := mvn -B -ntp
JAR := node-agent/target/tcphealth.jar
OPERATOR_JAR := operator/target/tcphealth-operator.jar
ARGS ?=
# What the jars are made of: a change to any of these rebuilds them, nothing else does.
AGENT_SOURCES := $(shell find pom.xml crds/pom.xml crds/src/main node-agent/pom.xml node-agent/src/main -type f 2>/dev/null)
OPERATOR_SOURCES := $(shell find operator/pom.xml operator/src/main -type f 2>/dev/null)

.PHONY: build diagnose test clean check-jdk control-plane jars cluster cluster-down e2e

check-jdk:
	@[ -n "$(JAVA_HOME)" ] || { echo "No JDK 25 found: set JAVA_HOME to one." >&2; exit 3; }

build: $(JAR) $(OPERATOR_JAR)

# Maven's output goes to stderr; afterwards the launcher makes its start-up cache for the new jar.
$(JAR): $(AGENT_SOURCES) | check-jdk
	@$(MVN) -q -DskipTests -pl node-agent -am package >&2
	@TCPHEALTH_CACHE=build bin/tcphealth --version >/dev/null

$(OPERATOR_JAR): $(AGENT_SOURCES) $(OPERATOR_SOURCES) | check-jdk
	@$(MVN) -q -DskipTests -pl operator -am package >&2

diagnose: $(JAR)
	@bin/tcphealth diagnose $(ARGS)

# The tier against a real kube-apiserver reads its binaries from the folder control-plane/build.sh prints
# (built on first use, cached after); without Go that folder is empty and the tier says what it needs.
test: check-jdk
	@cp=$$(bash control-plane/build.sh | tail -n 1) || cp=""; \
	echo "$(MVN) verify -Dtcphealth.controlPlane=$$cp"; \
	$(MVN) verify -Dtcphealth.controlPlane="$$cp"

clean:
	$(MVN) -q clean

# etcd, kube-apiserver, kube-controller-manager and kubectl built from their Go modules at the versions of
# control-plane/versions.env, cached in ~/.kubeapitest (KUBE_API_TEST_DIR); the last line is their folder.
control-plane:
	@bash control-plane/build.sh

# The jars the images run, built in the reactor (nothing is installed into the local Maven repository).
jars: check-jdk
	$(MVN) -q -DskipTests package

# A one-node cluster inside a network namespace of its own (root; see cluster/up.sh), running the images
# built from the Dockerfiles; the last lines are KUBECONFIG=... and NODE_NETNS=... . Reused while it runs.
cluster: jars
	@bash cluster/up.sh

# Stops the cluster and removes everything it made outside its cache (~/.cache/tcphealth/cluster).
cluster-down:
	@bash cluster/down.sh

# The README's cluster install end to end on a fresh `make cluster`, which it always tears down again.
e2e: jars
	@bash cluster/e2e.sh
