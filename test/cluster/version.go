package main

import (
	"runtime/debug"
	"strings"
)

// versionString names the Kubernetes and etcd modules this binary was built from.
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	var parts []string
	for _, d := range bi.Deps {
		switch d.Path {
		case "k8s.io/kubernetes", "go.etcd.io/etcd/server/v3":
			parts = append(parts, d.Path+"@"+d.Version)
		}
	}
	parts = append(parts, bi.GoVersion)
	return strings.Join(parts, " ")
}
