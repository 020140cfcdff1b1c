package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// runApply server-side-applies every object of the given YAML/JSON files
// (multi-document) with field manager "testcluster". Kinds that are not
// served yet (a CRD created moments earlier) are retried until --timeout.
func runApply(args []string) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig (required)")
	timeout := fs.Duration("timeout", 60*time.Second, "give up after")
	var files multiFlag
	fs.Var(&files, "f", "file to apply (repeatable; - for stdin)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *kubeconfig == "" || len(files) == 0 {
		fmt.Fprintln(os.Stderr, "apply: --kubeconfig and at least one -f are required")
		return 2
	}
	var objs []*unstructured.Unstructured
	for _, f := range files {
		var r io.Reader
		if f == "-" {
			r = os.Stdin
		} else {
			fh, err := os.Open(f)
			if err != nil {
				fmt.Fprintln(os.Stderr, "apply:", err)
				return 1
			}
			defer fh.Close()
			r = fh
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(r, 4096)
		for {
			u := &unstructured.Unstructured{}
			if err := dec.Decode(&u.Object); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				fmt.Fprintf(os.Stderr, "apply: %s: %v\n", f, err)
				return 1
			}
			if len(u.Object) == 0 {
				continue
			}
			objs = append(objs, u)
		}
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apply:", err)
		return 1
	}
	cfg.QPS, cfg.Burst = 200, 400
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apply:", err)
		return 1
	}
	cached := memory.NewMemCacheClient(dc)
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(cached)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apply:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	force := true
	for _, u := range objs {
		gvk := u.GroupVersionKind()
		for {
			err := func() error {
				m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
				if err != nil {
					return err
				}
				var ri dynamic.ResourceInterface = dyn.Resource(m.Resource)
				if m.Scope.Name() == meta.RESTScopeNameNamespace {
					ns := u.GetNamespace()
					if ns == "" {
						ns = "default"
					}
					ri = dyn.Resource(m.Resource).Namespace(ns)
				}
				_, err = ri.Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: "testcluster", Force: force})
				return err
			}()
			if err == nil {
				break
			}
			if meta.IsNoMatchError(err) || strings.Contains(err.Error(), "the server could not find the requested resource") {
				mapper.Reset()
			}
			if ctx.Err() != nil {
				fmt.Fprintf(os.Stderr, "apply: %s %s: %v\n", gvk.Kind, u.GetName(), err)
				return 1
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	fmt.Fprintf(os.Stderr, "apply: %d objects applied\n", len(objs))
	return 0
}
