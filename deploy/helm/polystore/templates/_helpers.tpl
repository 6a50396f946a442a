{{/* Names and labels shared by every template. No template names a service: they range over .Values.apps and .Values.stores, which npm run generate writes from manifest.ts. */}}

{{- define "polystore.name" -}}
{{- printf "%s-%s" .root.Release.Name .app | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "polystore.commonLabels" -}}
app.kubernetes.io/part-of: polystore
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The selector of an app's pods (its Deployment's and its schema Job's): name, instance, app. */}}
{{- define "polystore.appSelector" -}}
app.kubernetes.io/name: polystore
app.kubernetes.io/instance: {{ .root.Release.Name }}
polystore.io/app: {{ .app }}
{{- end -}}

{{/* The label the chart asks each operator to put on a service's store pods; network policies select on it. */}}
{{- define "polystore.storeSelector" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
polystore.io/store-of: {{ .service }}
{{- end -}}

{{/* The NATS sub-chart's server pods (its own selector labels). */}}
{{- define "polystore.natsSelector" -}}
app.kubernetes.io/name: nats
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: nats
{{- end -}}

{{/* Where apps reach NATS: the sub-chart's client service, or the external URL. */}}
{{- define "polystore.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- printf "nats://%s-nats:4222" .Release.Name -}}
{{- else -}}
{{- .Values.externalNats.url -}}
{{- end -}}
{{- end -}}

{{/* An app's non-secret settings: the ConfigMap's data, and the schema Job's environment. */}}
{{- define "polystore.appConfig" -}}
{{- $app := .app -}}
{{- $spec := .spec -}}
{{- $root := .root -}}
APP: {{ $app | quote }}
NODE_ENV: "production"
NATS_URL: {{ include "polystore.natsUrl" $root | quote }}
NATS_STREAM_REPLICAS: {{ $root.Values.natsStreamReplicas | quote }}
{{ $spec.envPrefix }}_NATS_USER: {{ printf "%s_nats" $app | quote }}
{{- if $spec.edge }}
{{ $spec.envPrefix }}_HOST: "0.0.0.0"
{{ $spec.envPrefix }}_PORT: {{ $spec.httpPort | quote }}
{{- else }}
{{ $spec.envPrefix }}_HTTP_HOST: "0.0.0.0"
{{ $spec.envPrefix }}_HTTP_PORT: {{ $spec.httpPort | quote }}
{{- $store := index $root.Values.stores $app }}
{{- if eq $store.kind "clickhouse" }}
{{ $spec.envPrefix }}_CLICKHOUSE_USER: {{ $store.user | quote }}
{{ $spec.envPrefix }}_CLICKHOUSE_DATABASE: {{ $store.database | quote }}
{{- end }}
{{- end }}
{{- range $name, $value := $spec.config }}
{{ $spec.envPrefix }}_{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The store address of a service when an operator writes it into a Secret of its own (CloudNativePG, MongoDB); otherwise it is in the app's Secret. */}}
{{- define "polystore.storeUrlEnv" -}}
{{- $store := index .root.Values.stores .app -}}
{{- if and $store (eq .root.Values.storesMode "operators") -}}
{{- if eq $store.kind "postgres" }}
- name: {{ $store.urlVariable }}
  valueFrom:
    secretKeyRef:
      name: {{ include "polystore.name" (dict "root" .root "app" (printf "%s-pg-app" .app)) }}
      key: uri
{{- else if eq $store.kind "mongodb" }}
- name: {{ $store.urlVariable }}
  valueFrom:
    secretKeyRef:
      name: {{ include "polystore.name" (dict "root" .root "app" (printf "%s-mongo-url" .app)) }}
      key: connectionString.standard
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pod and container security: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp. */}}
{{- define "polystore.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "polystore.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}
