{{/* Names and labels, as diracx-charts writes them. */}}
{{- define "escape-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "escape-portal.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "escape-portal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "escape-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "escape-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "escape-portal.labels" -}}
helm.sh/chart: {{ include "escape-portal.chart" . }}
{{ include "escape-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: diracx
{{- end }}

{{- define "escape-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "escape-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "escape-portal.image" -}}
{{- $img := .Values.global.images.portal -}}
{{- printf "%s/%s:%s" .Values.global.images.registry $img.repository (default .Chart.AppVersion $img.tag) }}
{{- end }}

{{/* The Secret holding keys: an existing one, or the one this chart creates. */}}
{{- define "escape-portal.secretName" -}}
{{- default (include "escape-portal.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{- define "escape-portal.secretDir" -}}/etc/escape-portal/secrets{{- end }}

{{/* The BFF configuration file (src/server/config.ts); production mode comes from PORTAL_MODE. */}}
{{- define "escape-portal.config" -}}
{{- $secretDir := include "escape-portal.secretDir" . -}}
{{- $instances := list -}}
{{- range $i, $inst := .Values.diracx.instances -}}
{{- $out := dict "id" $inst.id "label" $inst.label "url" $inst.url "clientId" $inst.clientId "groupSharing" (default dict $inst.groupSharing) -}}
{{- $_ := set $out "publicUrl" (required (printf "diracx.instances[%d].publicUrl must be set (https URL of DiracX for browsers)" $i) $inst.publicUrl) -}}
{{- if $inst.issuer }}{{- $_ := set $out "issuer" $inst.issuer -}}{{- end -}}
{{- if $inst.accounting -}}
{{- $_ := set $out "accounting" (merge (dict "apiKeyFile" (printf "%s/accounting-%s" $secretDir $inst.id)) $inst.accounting) -}}
{{- end -}}
{{- $instances = append $instances $out -}}
{{- end -}}
{{- $sources := list -}}
{{- range $s := .Values.portal.datasetSources -}}
{{- if eq $s.type "rucio" -}}
{{- $auth := merge (dict "passwordFile" (printf "%s/rucio-password" $secretDir)) (default dict $s.auth) -}}
{{- $sources = append $sources (merge (dict "auth" $auth) $s) -}}
{{- else -}}
{{- $sources = append $sources $s -}}
{{- end -}}
{{- end -}}
{{- $cfg := dict
  "host" "0.0.0.0"
  "port" 8080
  "publicUrl" (printf "https://%s" (required "portal.hostname must be set" .Values.portal.hostname))
  "trustProxy" .Values.portal.trustProxy
  "hstsMaxAgeSeconds" .Values.portal.hstsMaxAgeSeconds
  "shutdownDelayMs" .Values.portal.shutdownDelayMs
  "shutdownGraceMs" .Values.portal.shutdownGraceMs
  "logLevel" .Values.portal.logLevel
  "staticDir" "/app/dist"
  "workflowsDir" "/app/workflows"
  "schedulerEnabled" .Values.portal.schedulerEnabled
  "accountingIntervalMs" .Values.portal.accountingIntervalMs
  "demoDatasets" .Values.portal.demoDatasets
  "scheduleKeyFile" (printf "%s/schedule-key" $secretDir)
  "datasetSources" $sources
  "instances" $instances
-}}
{{- if .Values.metrics.enabled }}{{- $_ := set $cfg "metrics" (dict "port" .Values.metrics.port) -}}{{- end -}}
{{- if .Values.portal.resourceCatalogue }}{{- $_ := set $cfg "resourceCatalogue" "/etc/escape-portal/catalogue/resources.cfg" -}}{{- end -}}
{{- toPrettyJson (merge (deepCopy .Values.portal.extraConfig) $cfg) }}
{{- end }}
