package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// runEtcd runs a single-member etcd on loopback until SIGINT/SIGTERM.
// A small --auto-compaction-retention lets a test compact history quickly, so
// that a watch from an old resourceVersion gets 410 Gone.
func runEtcd(args []string) int {
	fs := flag.NewFlagSet("etcd", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "data directory (required)")
	clientURL := fs.String("listen-client-url", "http://127.0.0.1:2379", "client URL (loopback)")
	peerURL := fs.String("listen-peer-url", "http://127.0.0.1:2380", "peer URL (loopback)")
	compactionMode := fs.String("auto-compaction-mode", "periodic", "periodic or revision")
	compactionRetention := fs.String("auto-compaction-retention", "0", "e.g. 1m (periodic) or 100 (revision); 0 disables")
	quota := fs.Int64("quota-backend-bytes", 2<<30, "backend quota in bytes")
	noFsync := fs.Bool("unsafe-no-fsync", true, "skip fsync (test speed; data is throwaway)")
	logLevel := fs.String("log-level", "warn", "debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "etcd: --data-dir is required")
		return 2
	}
	cu, err := url.Parse(*clientURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd: bad --listen-client-url:", err)
		return 2
	}
	pu, err := url.Parse(*peerURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd: bad --listen-peer-url:", err)
		return 2
	}
	cfg := embed.NewConfig()
	cfg.Name = "testcluster"
	cfg.Dir = *dataDir
	cfg.ListenClientUrls = []url.URL{*cu}
	cfg.AdvertiseClientUrls = []url.URL{*cu}
	cfg.ListenPeerUrls = []url.URL{*pu}
	cfg.AdvertisePeerUrls = []url.URL{*pu}
	cfg.InitialCluster = cfg.Name + "=" + pu.String()
	cfg.AutoCompactionMode = *compactionMode
	cfg.AutoCompactionRetention = *compactionRetention
	cfg.QuotaBackendBytes = *quota
	cfg.UnsafeNoFsync = *noFsync
	cfg.LogLevel = *logLevel
	cfg.LogOutputs = []string{"stderr"}

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "etcd: start:", err)
		return 1
	}
	defer e.Close()
	select {
	case <-e.Server.ReadyNotify():
		fmt.Fprintf(os.Stderr, "etcd: ready on %s\n", cu.String())
	case <-time.After(60 * time.Second):
		e.Server.Stop()
		fmt.Fprintln(os.Stderr, "etcd: took too long to start")
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sig:
		fmt.Fprintf(os.Stderr, "etcd: %s, stopping\n", s)
		return 0
	case err := <-e.Err():
		fmt.Fprintln(os.Stderr, "etcd:", err)
		return 1
	}
}
