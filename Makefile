# Quick start: `make diagnose` builds tcphealth and diagnoses this host; `make test` runs every test.
# Kernel tests need root: they create (and remove) their own network namespaces.

# tcphealth needs JDK 25; take JAVA_HOME when it is one, else the usual install locations.
JAVA_HOME := $(shell for d in "$$JAVA_HOME" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/jdk-25*; do \
    [ -x "$$d/bin/java" ] && "$$d/bin/java" -version 2>&1 | grep -q 'version "25' && { echo "$$d"; break; }; done)
export JAVA_HOME
MVN := mvn -B -ntp
JAR := node-agent/target/tcphealth.jar
ARGS ?=

.PHONY: build diagnose test clean check-jdk control-plane

check-jdk:
	@[ -n "$(JAVA_HOME)" ] || { echo "No JDK 25 found: set JAVA_HOME to one." >&2; exit 3; }

build: check-jdk
	$(MVN) -q -DskipTests install

diagnose: build
	$(JAVA_HOME)/bin/java -jar $(JAR) diagnose $(ARGS)

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
