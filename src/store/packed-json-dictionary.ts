/**
 * Version 1 of the preset dictionary packed JSON is deflated with (packed-json.ts): the words
 * recorded changes and checkpointed objects are made of, from the Kubernetes API's field names,
 * the recorder's diff and summary vocabulary, and the usual managers. Deflate looks back for
 * matches, so the commonest words come last, nearest the text.
 *
 * FROZEN: stores written with it can only be read with it, byte for byte. To improve it, add a
 * PACKED_JSON_DICTIONARY_2 and a new format byte in packed-json.ts.
 */
export const PACKED_JSON_DICTIONARY_1 = [
  // Kinds, API groups and object-level fields.
  '"apiVersion":"apps/v1","kind":"Deployment""kind":"StatefulSet""kind":"DaemonSet""kind":"ReplicaSet"',
  '"apiVersion":"batch/v1","kind":"Job""kind":"CronJob""apiVersion":"networking.k8s.io/v1","kind":"Ingress"',
  '"kind":"Service""kind":"ConfigMap""kind":"Secret""kind":"Node""kind":"PersistentVolumeClaim""kind":"Event"',
  '"apiVersion":"v1","kind":"Pod","metadata":{"name":"","namespace":"","uid":"","resourceVersion":"',
  '"creationTimestamp":"","generation":1,"generateName":"","deletionTimestamp":"',
  '"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"","uid":"","controller":true,"blockOwnerDeletion":true}]',
  '"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"deployment.kubernetes.io/revision":"',
  '"kubectl.kubernetes.io/restartedAt":"kubernetes.io/change-cause":"ops.kubectl-smart.io/why":"',
  '"labels":{"app":"app.kubernetes.io/name":"app.kubernetes.io/instance":"pod-template-hash":"',
  // Spec.
  '"spec":{"replicas":1,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}',
  '"selector":{"matchLabels":{"template":{"metadata":{"spec":{"containers":[{"name":"","image":"","imagePullPolicy":"IfNotPresent"',
  '"ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],"env":[{"name":"","value":"","valueFrom":{"configMapKeyRef":{"secretKeyRef":{"key":"',
  '"envFrom":[{"configMapRef":{"secretRef":{"resources":{"limits":{"cpu":"","memory":""},"requests":{"cpu":"100m","memory":"128Mi"}}',
  '"volumeMounts":[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],"volumes":[{"name":"kube-api-access-","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}],"defaultMode":420}}',
  '"livenessProbe":{"readinessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"periodSeconds":10,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3}',
  '"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","dnsPolicy":"ClusterFirst","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority","priority":0,"restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"serviceAccount":"default","serviceAccountName":"default","terminationGracePeriodSeconds":30',
  '"tolerations":[{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}]',
  '"nodeName":"","nodeSelector":{"affinity":{"type":"ClusterIP","clusterIP":"","sessionAffinity":"None","targetPort":"data":{"binaryData":{"stringData":{"type":"Opaque"',
  // Status.
  '"status":{"phase":"Running""phase":"Pending""phase":"Succeeded""phase":"Failed","hostIP":"","podIP":"","podIPs":[{"ip":""}],"qosClass":"Burstable","startTime":"',
  '"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,"unavailableReplicas":1,"fullyLabeledReplicas":1',
  '"conditions":[{"type":"Available","status":"True","lastUpdateTime":"","reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."},{"type":"Progressing","reason":"NewReplicaSetAvailable","message":"ReplicaSet \\"\\" has successfully progressed."}]',
  '"type":"PodScheduled""type":"Initialized""type":"PodReadyToStartContainers""reason":"ContainersNotReady","message":"containers with unready status: [',
  '"containerStatuses":[{"containerID":"containerd://","image":"","imageID":"","lastState":{},"name":"","ready":false,"restartCount":0,"started":false,"state":{"running":{"startedAt":"',
  '"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container=',
  '"waiting":{"reason":"ImagePullBackOff""ErrImagePull""CreateContainerConfigError""ContainerCreating"',
  '"terminated":{"exitCode":1,"reason":"Error""reason":"OOMKilled""reason":"Completed","startedAt":"","finishedAt":"',
  // The recorder's diffs, summaries and actors.
  '{"manager":"kube-controller-manager","operation":"Update","subresource":"status"}{"manager":"kubectl-client-side-apply","operation":"Update"}{"manager":"kubectl-edit""kubectl-patch""kubectl-rollout""helm""argocd-controller"',
  '{"manager":"kubelet","operation":"Update","subresource":"status"}"manager":"kube-scheduler""operation":"Apply"',
  '"rollout":"Deployment/ revision ","why":"","changeCause":"',
  '"rollout restart","scaled ","image ","env "," added"," removed","ConfigMap key ","Secret key ","created: ","deleted","label ","annotation ","revision ",',
  '"Ready False→True (ContainersNotReady)","Ready True→False (ContainersNotReady)","container ready","container not ready","container : running","container : CrashLoopBackOff","restarts ',
  '{"path":"metadata.labels.","op":"added","new":"{"path":"metadata.annotations.","op":"removed","old":"',
  '{"path":"spec.replicas","op":"changed","old":1,"new":2}{"path":"spec.template.spec.containers[].image","op":"changed","old":"","new":"',
  '{"path":"status.replicas""status.readyReplicas""status.availableReplicas""status.updatedReplicas""status.observedGeneration"',
  '{"path":"status.conditions[Available].status","op":"changed","old":"False","new":"True"}{"path":"status.conditions[Progressing].lastUpdateTime","op":"changed","old":"',
  '{"path":"status.containerStatuses[].lastState.terminated","op":"added","new":{"exitCode":1,"reason":"Error","startedAt":"","finishedAt":"","containerID":"containerd://"}}',
  '{"path":"status.containerStatuses[].state.running","op":"added","new":{"startedAt":"',
  '{"path":"status.containerStatuses[].state.waiting","op":"removed","old":{"reason":"CrashLoopBackOff","message":"back-off 1m20s restarting failed container=',
  '{"path":"status.containerStatuses[].state.running","op":"removed","old":{"startedAt":"',
  '{"path":"status.containerStatuses[].state.waiting","op":"added","new":{"reason":"CrashLoopBackOff","message":"back-off 2m40s restarting failed container=',
  '{"path":"status.containerStatuses[].ready","op":"changed","old":true,"new":false}',
  '{"path":"status.containerStatuses[].restartCount","op":"changed","old":1,"new":2}',
  '{"path":"status.conditions[ContainersReady].lastTransitionTime","op":"changed","old":"2026-01-01T00:00:00Z","new":"',
  '{"path":"status.conditions[ContainersReady].status","op":"changed","old":"True","new":"False"}',
  '{"path":"status.conditions[Ready].lastTransitionTime","op":"changed","old":"2026-01-01T00:00:00Z","new":"',
  '{"path":"status.conditions[Ready].status","op":"changed","old":"False","new":"True"}',
].join('');
