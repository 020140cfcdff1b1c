package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	kubecontainer "k8s.io/kubernetes/pkg/kubelet/container"
	"k8s.io/kubernetes/pkg/kubelet/events"
)

// runKubeletEvents emits the Events a kubelet would emit for the container
// state changes KWOK plays on pods (Pulling/Pulled/Created/Started, BackOff,
// Failed + "Error: ErrImagePull", Unhealthy, Killing), from the node's kubelet
// (source component "kubelet", host = node name), through the same
// client-go event recorder the kubelet uses, so counts aggregate the same way.
func runKubeletEvents(args []string) int {
	fs := flag.NewFlagSet("kubelet-events", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubelet-events:", err)
		return 1
	}
	cfg.QPS, cfg.Burst = 200, 400
	// managedFields then name "kubelet" as the manager, as for a real kubelet's events.
	cfg.UserAgent = "kubelet/v1.37.2 (linux/amd64) kubernetes/testcluster"
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubelet-events:", err)
		return 1
	}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()

	e := &eventer{cs: cs, recorders: map[string]record.EventRecorder{}, lastUnhealthy: map[string]time.Time{}}
	factory := informers.NewSharedInformerFactoryWithOptions(cs, 0, informers.WithTweakListOptions(func(o *metav1.ListOptions) {
		o.FieldSelector = fields.OneTermNotEqualSelector("spec.nodeName", "").String()
	}))
	inf := factory.Core().V1().Pods().Informer()
	_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(oldObj, newObj any) {
			o, ok1 := oldObj.(*corev1.Pod)
			n, ok2 := newObj.(*corev1.Pod)
			if ok1 && ok2 {
				e.diff(o, n)
			}
		},
	})
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	fmt.Fprintln(os.Stderr, "kubelet-events: watching pods")

	// Readiness probes fail every periodSeconds while a container runs unready.
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			for _, b := range e.broadcasters {
				b.Shutdown()
			}
			return 0
		case <-tick.C:
			for _, obj := range inf.GetStore().List() {
				if p, ok := obj.(*corev1.Pod); ok {
					e.probe(p)
				}
			}
		}
	}
}

type eventer struct {
	cs            kubernetes.Interface
	mu            sync.Mutex
	recorders     map[string]record.EventRecorder
	broadcasters  []record.EventBroadcaster
	lastUnhealthy map[string]time.Time
}

func (e *eventer) recorder(node string) record.EventRecorder {
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.recorders[node]; ok {
		return r
	}
	b := record.NewBroadcaster()
	b.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: e.cs.CoreV1().Events("")})
	r := b.NewRecorder(legacyscheme.Scheme, corev1.EventSource{Component: "kubelet", Host: node})
	e.recorders[node] = r
	e.broadcasters = append(e.broadcasters, b)
	return r
}

func (e *eventer) event(p *corev1.Pod, c *corev1.Container, typ, reason, msg string) {
	ref, err := kubecontainer.GenerateContainerRef(p, c)
	if err != nil {
		return
	}
	e.recorder(p.Spec.NodeName).Event(ref, typ, reason, msg)
}

func formatPod(p *corev1.Pod) string {
	return fmt.Sprintf("%s_%s(%s)", p.Name, p.Namespace, p.UID)
}

func findStatus(list []corev1.ContainerStatus, name string) *corev1.ContainerStatus {
	for i := range list {
		if list[i].Name == name {
			return &list[i]
		}
	}
	return nil
}

func findAnyStatus(s *corev1.PodStatus, name string) *corev1.ContainerStatus {
	if cs := findStatus(s.InitContainerStatuses, name); cs != nil {
		return cs
	}
	return findStatus(s.ContainerStatuses, name)
}

// diff compares container states before and after one update and emits what the kubelet would have.
func (e *eventer) diff(o, n *corev1.Pod) {
	if n.Spec.NodeName == "" {
		return
	}
	if o.DeletionTimestamp == nil && n.DeletionTimestamp != nil {
		for i := range n.Spec.Containers {
			c := &n.Spec.Containers[i]
			if s := findStatus(n.Status.ContainerStatuses, c.Name); s != nil && s.State.Running != nil {
				e.event(n, c, corev1.EventTypeNormal, events.KillingContainer, fmt.Sprintf("Stopping container %s", c.Name))
			}
		}
		return
	}
	// The eviction manager: an Evicted event on the pod, then its containers are stopped.
	if o.Status.Reason != "Evicted" && n.Status.Reason == "Evicted" {
		annotations := map[string]string{"starved_resource": "memory"}
		if len(n.Spec.Containers) > 0 {
			annotations["offending_containers"] = n.Spec.Containers[0].Name
			annotations["offending_containers_usage"] = "1200Mi"
		}
		e.recorder(n.Spec.NodeName).AnnotatedEventf(n, annotations, corev1.EventTypeWarning, "Evicted", "%s", n.Status.Message)
		for i := range n.Spec.Containers {
			c := &n.Spec.Containers[i]
			if s := findStatus(o.Status.ContainerStatuses, c.Name); s != nil && s.State.Running != nil {
				e.event(n, c, corev1.EventTypeNormal, events.KillingContainer, fmt.Sprintf("Stopping container %s", c.Name))
			}
		}
		return
	}
	all := append(append([]corev1.Container{}, n.Spec.InitContainers...), n.Spec.Containers...)
	for i := range all {
		c := &all[i]
		before := findAnyStatus(&o.Status, c.Name)
		after := findAnyStatus(&n.Status, c.Name)
		if after == nil {
			continue
		}
		// Started: first time, or again after a crash (a new startedAt).
		if after.State.Running != nil && (before == nil || before.State.Running == nil ||
			!before.State.Running.StartedAt.Equal(&after.State.Running.StartedAt)) {
			// Killed for a failed liveness probe and started again straight away.
			if before != nil && before.State.Running != nil && after.RestartCount > before.RestartCount &&
				c.LivenessProbe != nil && faultType(n) == "LivenessProbeFailure" {
				e.event(n, c, corev1.EventTypeNormal, events.KillingContainer,
					fmt.Sprintf("Container %s failed liveness probe, will be restarted", c.Name))
			}
			e.startEvents(n, c, after.RestartCount == 0)
			continue
		}
		// An init container that started and completed between two updates.
		if after.State.Terminated != nil && after.State.Terminated.Reason == "Completed" &&
			(before == nil || (before.State.Terminated == nil && before.State.Running == nil)) {
			e.startEvents(n, c, true)
			continue
		}
		if after.State.Waiting == nil {
			continue
		}
		w := after.State.Waiting
		if before != nil && before.State.Waiting != nil && before.State.Waiting.Reason == w.Reason && before.State.Waiting.Message == w.Message {
			continue
		}
		switch w.Reason {
		case "CrashLoopBackOff":
			e.event(n, c, corev1.EventTypeWarning, events.BackOffStartContainer,
				fmt.Sprintf("Back-off restarting failed container %s in pod %s", c.Name, formatPod(n)))
		case "ErrImagePull":
			e.event(n, c, corev1.EventTypeNormal, events.PullingImage, fmt.Sprintf("Pulling image %q", c.Image))
			e.event(n, c, corev1.EventTypeWarning, events.FailedToPullImage, fmt.Sprintf("Failed to pull image %q: %s", c.Image, w.Message))
			e.event(n, c, corev1.EventTypeWarning, events.FailedToCreateContainer, "Error: ErrImagePull")
		case "ImagePullBackOff":
			e.event(n, c, corev1.EventTypeNormal, events.BackOffPullImage, fmt.Sprintf("Back-off pulling image %q", c.Image))
			e.event(n, c, corev1.EventTypeWarning, events.FailedToCreateContainer, "Error: ImagePullBackOff")
		case "CreateContainerConfigError", "CreateContainerError", "RunContainerError":
			e.event(n, c, corev1.EventTypeWarning, events.FailedToCreateContainer, "Error: "+w.Message)
		}
	}
}

// startEvents: Pulled, Created, Started — as for a container that starts (the image is "present").
func (e *eventer) startEvents(p *corev1.Pod, c *corev1.Container, first bool) {
	if first && c.ImagePullPolicy == corev1.PullAlways {
		e.event(p, c, corev1.EventTypeNormal, events.PullingImage, fmt.Sprintf("Pulling image %q", c.Image))
		e.event(p, c, corev1.EventTypeNormal, events.PulledImage,
			fmt.Sprintf("Successfully pulled image %q in 1.2s (1.2s including waiting). Image size: 28934567 bytes.", c.Image))
	} else {
		e.event(p, c, corev1.EventTypeNormal, events.PulledImage, fmt.Sprintf("Container image %q already present on machine", c.Image))
	}
	e.event(p, c, corev1.EventTypeNormal, events.CreatedContainer, "Container created")
	e.event(p, c, corev1.EventTypeNormal, events.StartedContainer, "Container started")
}

func faultType(p *corev1.Pod) string {
	return p.Annotations["fault.kubectl-smart.io/type"]
}

// probe emits "Readiness probe failed" for running, unready containers that have a readiness probe,
// and "Liveness probe failed" for running containers of pods playing LivenessProbeFailure, every
// periodSeconds (the kubelet's prober, pkg/kubelet/prober: "%s probe failed: %s").
func (e *eventer) probe(p *corev1.Pod) {
	if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning {
		return
	}
	for i := range p.Spec.Containers {
		c := &p.Spec.Containers[i]
		s := findStatus(p.Status.ContainerStatuses, c.Name)
		if s == nil || s.State.Running == nil {
			continue
		}
		if c.ReadinessProbe != nil && !s.Ready {
			e.probeEvent(p, c, "Readiness", c.ReadinessProbe, "404")
		}
		if c.LivenessProbe != nil && faultType(p) == "LivenessProbeFailure" {
			e.probeEvent(p, c, "Liveness", c.LivenessProbe, "500")
		}
	}
}

func (e *eventer) probeEvent(p *corev1.Pod, c *corev1.Container, kind string, pr *corev1.Probe, httpStatus string) {
	period := time.Duration(pr.PeriodSeconds) * time.Second
	if period <= 0 {
		period = 10 * time.Second
	}
	key := string(p.UID) + "/" + c.Name + "/" + kind
	e.mu.Lock()
	last := e.lastUnhealthy[key]
	due := time.Since(last) >= period
	if due {
		e.lastUnhealthy[key] = time.Now()
	}
	e.mu.Unlock()
	if due {
		e.event(p, c, corev1.EventTypeWarning, events.ContainerUnhealthy, kind+" probe failed: "+probeOutput(p, pr, httpStatus))
	}
}

func probeOutput(p *corev1.Pod, pr *corev1.Probe, httpStatus string) string {
	if out := p.Annotations["fault.kubectl-smart.io/probe-output"]; out != "" {
		return out
	}
	switch {
	case pr.HTTPGet != nil:
		return "HTTP probe failed with statuscode: " + httpStatus
	case pr.TCPSocket != nil:
		return fmt.Sprintf("dial tcp %s:%s: connect: connection refused", p.Status.PodIP, pr.TCPSocket.Port.String())
	case pr.GRPC != nil:
		return fmt.Sprintf("timeout: failed to connect service %q within 1s", fmt.Sprintf("%s:%d", p.Status.PodIP, pr.GRPC.Port))
	default:
		return strings.TrimSpace("command failed with exit code 1")
	}
}
