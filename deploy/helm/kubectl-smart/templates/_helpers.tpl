{{/* The release's base name: the release name, with the chart's name unless it is already in it. */}}
{{- define "kubectl-smart.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The agent's objects: ServiceAccount (by default), ConfigMap, Deployment, Service, Lease. */}}
{{- define "kubectl-smart.agentName" -}}
{{- printf "%s-agent" (include "kubectl-smart.fullname" .) -}}
{{- end -}}

{{- define "kubectl-smart.serviceAccountName" -}}
{{- default (include "kubectl-smart.agentName" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Labels of everything the chart makes. */}}
{{- define "kubectl-smart.commonLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The agent's pods, as its Deployment and Service select them. */}}
{{- define "kubectl-smart.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end -}}

{{- define "kubectl-smart.labels" -}}
{{ include "kubectl-smart.commonLabels" . }}
app.kubernetes.io/component: agent
{{- end -}}
