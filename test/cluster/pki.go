package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runPKI writes everything the control plane needs for TLS and
// authentication into --dir:
//
//	ca.{crt,key}                      cluster CA (signs every cert below)
//	apiserver.{crt,key}               serving cert: 127.0.0.1, localhost, the service IP, kubernetes.default…
//	apiserver-kubelet-client.{crt,key} apiserver → "kubelet" (kwok) client, O=system:masters
//	sa.{key,pub}                      service-account token signing pair (RSA)
//	admin.{crt,key}                   CN=kubernetes-admin, O=system:masters
//	readonly.{crt,key}                CN=smart-readonly (no groups; RBAC binds it)
//	controller-manager.{crt,key}      CN=system:kube-controller-manager
//	scheduler.{crt,key}               CN=system:kube-scheduler
//	kwok.{crt,key}                    CN=kwok-controller, O=system:masters
//	kwok-serving.{crt,key}            serving cert for kwok's kubelet-like server
//	front-proxy-ca.{crt,key}, front-proxy-client.{crt,key}  aggregation layer
func runPKI(args []string) int {
	fs := flag.NewFlagSet("pki", flag.ContinueOnError)
	dir := fs.String("dir", "", "output directory (required)")
	serviceIP := fs.String("service-ip", "10.96.0.1", "first IP of the service CIDR (the kubernetes Service)")
	extraSANs := fs.String("extra-sans", "", "comma-separated extra DNS names / IPs for the apiserver cert")
	validity := fs.Duration("validity", 365*24*time.Hour, "certificate validity")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "pki: --dir is required")
		return 2
	}
	if err := writePKI(*dir, *serviceIP, *extraSANs, *validity); err != nil {
		fmt.Fprintln(os.Stderr, "pki:", err)
		return 1
	}
	return 0
}

type keyPair struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var serial int64 = time.Now().UnixNano()

func nextSerial() *big.Int {
	serial++
	return big.NewInt(serial)
}

func newKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func newCA(cn string, validity time.Duration) (*keyPair, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          nextSerial(),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{cert: cert, key: key}, nil
}

type certSpec struct {
	cn     string
	orgs   []string
	usages []x509.ExtKeyUsage
	dns    []string
	ips    []net.IP
}

func (ca *keyPair) issue(s certSpec, validity time.Duration) (*keyPair, error) {
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		Subject:      pkix.Name{CommonName: s.cn, Organization: s.orgs},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  s.usages,
		DNSNames:     s.dns,
		IPAddresses:  s.ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &keyPair{cert: cert, key: key}, nil
}

func writePair(dir, name string, kp *keyPair) error {
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: kp.cert.Raw})
	keyDER, err := x509.MarshalPKCS8PrivateKey(kp.key)
	if err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(dir, name+".crt"), certPEM, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".key"), keyPEM, 0o600)
}

func writePKI(dir, serviceIP, extraSANs string, validity time.Duration) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca, err := newCA("kubectl-smart-test-ca", validity)
	if err != nil {
		return err
	}
	if err := writePair(dir, "ca", ca); err != nil {
		return err
	}
	fpca, err := newCA("kubectl-smart-front-proxy-ca", validity)
	if err != nil {
		return err
	}
	if err := writePair(dir, "front-proxy-ca", fpca); err != nil {
		return err
	}

	sip := net.ParseIP(serviceIP)
	if sip == nil {
		return fmt.Errorf("bad --service-ip %q", serviceIP)
	}
	apiDNS := []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	apiIPs := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), sip}
	for _, s := range strings.Split(extraSANs, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if ip := net.ParseIP(s); ip != nil {
			apiIPs = append(apiIPs, ip)
		} else {
			apiDNS = append(apiDNS, s)
		}
	}
	server := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	client := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	loopIPs := []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}

	issued := []struct {
		name string
		ca   *keyPair
		spec certSpec
	}{
		{"apiserver", ca, certSpec{cn: "kube-apiserver", usages: server, dns: apiDNS, ips: apiIPs}},
		{"apiserver-kubelet-client", ca, certSpec{cn: "kube-apiserver-kubelet-client", orgs: []string{"system:masters"}, usages: client}},
		{"admin", ca, certSpec{cn: "kubernetes-admin", orgs: []string{"system:masters"}, usages: client}},
		{"readonly", ca, certSpec{cn: "smart-readonly", usages: client}},
		{"controller-manager", ca, certSpec{cn: "system:kube-controller-manager", usages: client}},
		{"scheduler", ca, certSpec{cn: "system:kube-scheduler", usages: client}},
		{"kwok", ca, certSpec{cn: "kwok-controller", orgs: []string{"system:masters"}, usages: client}},
		{"kwok-serving", ca, certSpec{cn: "kwok-kubelet", usages: server, dns: []string{"localhost"}, ips: loopIPs}},
		{"front-proxy-client", fpca, certSpec{cn: "front-proxy-client", usages: client}},
	}
	for _, it := range issued {
		kp, err := it.ca.issue(it.spec, validity)
		if err != nil {
			return fmt.Errorf("%s: %w", it.name, err)
		}
		if err := writePair(dir, it.name, kp); err != nil {
			return err
		}
	}

	// Service-account signing pair: RSA, as kubeadm does.
	sa, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	saPriv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(sa)})
	pubDER, err := x509.MarshalPKIXPublicKey(&sa.PublicKey)
	if err != nil {
		return err
	}
	saPub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if err := os.WriteFile(filepath.Join(dir, "sa.key"), saPriv, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sa.pub"), saPub, 0o644)
}
