{{/* Labels every object of the chart carries. */}}
{{- define "tcphealth.labels" -}}
app.kubernetes.io/part-of: tcphealth
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of the operator pods. */}}
{{- define "tcphealth.operatorSelector" -}}
app.kubernetes.io/name: tcphealth-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of the agent pods as the operator sets them (AgentDaemonSet in the operator module). */}}
{{- define "tcphealth.agentSelector" -}}
app.kubernetes.io/name: tcphealth-agent
app.kubernetes.io/instance: tcphealth
{{- end -}}

{{- define "tcphealth.operatorImage" -}}
{{ .Values.operator.image.repository }}:{{ .Values.operator.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "tcphealth.agentImage" -}}
{{ .Values.agent.image.repository }}:{{ .Values.agent.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "tcphealth.eventNamespace" -}}
{{ .Values.eventNamespace | default "default" }}
{{- end -}}

{{/* The agents' service-account user name, as the API server sees requests made with its token. */}}
{{- define "tcphealth.agentUser" -}}
system:serviceaccount:{{ .Values.namespaces.agent }}:{{ .Values.agent.serviceAccountName }}
{{- end -}}

{{/*
Agent tolerations in the operator's --agent-tolerations form: key=value:Effect, key:Effect, key, or *.
*/}}
{{- define "tcphealth.agentTolerations" -}}
{{- $out := list -}}
{{- range .Values.agent.tolerations -}}
{{- $t := "" -}}
{{- if and (eq (.operator | default "Equal") "Exists") (not .key) -}}
{{- $t = "*" -}}
{{- else if eq (.operator | default "Equal") "Exists" -}}
{{- $t = .key -}}
{{- else -}}
{{- $t = printf "%s=%s" .key (.value | default "") -}}
{{- end -}}
{{- if and .effect (ne $t "*") -}}
{{- $t = printf "%s:%s" $t .effect -}}
{{- end -}}
{{- $out = append $out $t -}}
{{- end -}}
{{- join "," $out -}}
{{- end -}}

{{/* Stops rendering with a clear message when values contradict each other. */}}
{{- define "tcphealth.checks" -}}
{{- if eq .Values.namespaces.operator .Values.namespaces.agent -}}
{{- fail "namespaces.operator and namespaces.agent must differ: the operator's namespace is Pod Security 'restricted', the agents' is 'privileged'" -}}
{{- end -}}
{{- if and (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection) -}}
{{- fail "operator.replicas above 1 needs operator.leaderElection=true: two operators would write at once" -}}
{{- end -}}
{{- end -}}
