// Command testcluster is a multi-call binary (in the spirit of the old
// hyperkube) that runs the pieces of a real Kubernetes control plane for
// kubectl-smart's tests: an embedded etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, and a PKI generator.
//
// Usage: testcluster <etcd|kube-apiserver|kube-controller-manager|kube-scheduler|pki|apply|kubelet-events|exec|version> [flags]
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "time/tzdata" // CronJob time zones

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: testcluster <etcd|kube-apiserver|kube-controller-manager|kube-scheduler|pki|apply|kubelet-events|exec|version> [flags]")
}

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	// Called through a symlink named after a component, or with the component as first argument.
	if !isComponent(name) {
		if len(args) == 0 {
			usage()
			os.Exit(2)
		}
		name, args = args[0], args[1:]
	}
	dieWithParent()
	switch name {
	case "exec":
		// exec [--] PROGRAM ARGS...: run another program (kwok) with the same
		// parent-death signal as the components of this binary.
		if len(args) > 0 && args[0] == "--" {
			args = args[1:]
		}
		if len(args) == 0 {
			usage()
			os.Exit(2)
		}
		err := execReplace(args)
		fmt.Fprintln(os.Stderr, "exec:", err)
		os.Exit(127)
	case "apply":
		os.Exit(runApply(args))
	case "kubelet-events":
		os.Exit(runKubeletEvents(args))
	case "etcd":
		os.Exit(runEtcd(args))
	case "pki":
		os.Exit(runPKI(args))
	case "version":
		fmt.Println(versionString())
		os.Exit(0)
	case "kube-apiserver", "apiserver":
		cmd := apiserver.NewAPIServerCommand()
		cmd.SetArgs(args)
		os.Exit(cli.Run(cmd))
	case "kube-controller-manager", "controller-manager":
		cmd := controllermanager.NewControllerManagerCommand()
		cmd.SetArgs(args)
		os.Exit(cli.Run(cmd))
	case "kube-scheduler", "scheduler":
		cmd := scheduler.NewSchedulerCommand()
		cmd.SetArgs(args)
		os.Exit(cli.Run(cmd))
	default:
		fmt.Fprintf(os.Stderr, "unknown component %q\n", name)
		usage()
		os.Exit(2)
	}
}

func isComponent(n string) bool {
	switch strings.TrimSuffix(n, ".exe") {
	case "etcd", "pki", "kube-apiserver", "kube-controller-manager", "kube-scheduler":
		return true
	}
	return false
}
