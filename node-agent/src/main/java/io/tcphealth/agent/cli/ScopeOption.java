package io.tcphealth.agent.cli;

import io.tcphealth.agent.scan.ScanScope;

/** {@code --scope host|all}. */
enum ScopeOption {
    host(ScanScope.HOST),
    all(ScanScope.ALL);

    final ScanScope scope;

    ScopeOption(ScanScope scope) {
        this.scope = scope;
    }
}
