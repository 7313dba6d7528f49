// Package gateway lets Jupyter Enterprise Gateway run goawait on another
// host or in a Kubernetes pod. The gateway starts the kernel with its id,
// an address to report to, a public key and a range of ports; the kernel
// picks its ports in that range, sends its connection info (encrypted
// with the key) to that address, and then takes the gateway's requests
// (interrupt, liveness poll, shutdown) on a small TCP port of its own, the
// communication port.
//
// The binary uses it for `goawait kernel --kernel-id ... --response-address
// ... --public-key ...` (or the same values in the environment, as the
// gateway's Kubernetes pods receive them).
package gateway

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
)

// Args are the launch arguments as Enterprise Gateway passes them: on the
// command line (its kernelspecs' argv) or in the environment (its kernel
// pods). Empty means not given.
type Args struct {
	KernelID        string
	ResponseAddress string
	PublicKey       string
	PortRange       string
}

// argument describes one launch argument: its flag and the environment
// variables the gateway's kernel images read it from, first match wins.
type argument struct {
	flag  string
	env   []string
	usage string
	field func(*Args) *string
}

var arguments = []argument{
	{"kernel-id", []string{"KERNEL_ID"}, "the `ID` Enterprise Gateway gave the kernel",
		func(a *Args) *string { return &a.KernelID }},
	{"response-address", []string{"RESPONSE_ADDRESS", "EG_RESPONSE_ADDRESS"}, "`HOST:PORT` where Enterprise Gateway waits for the kernel's connection info",
		func(a *Args) *string { return &a.ResponseAddress }},
	{"public-key", []string{"PUBLIC_KEY", "EG_PUBLIC_KEY"}, "Enterprise Gateway's RSA public `KEY` (base64 DER) that encrypts the connection info",
		func(a *Args) *string { return &a.PublicKey }},
	{"port-range", []string{"PORT_RANGE", "EG_PORT_RANGE"}, "the `LOW..HIGH` range of ports the kernel may listen on; 0..0 for any",
		func(a *Args) *string { return &a.PortRange }},
}

// Flags defines the launch flags (--kernel-id, --response-address,
// --public-key, --port-range) on fs, storing into a. Their usage names
// the environment variables that WithEnv reads.
func (a *Args) Flags(fs *flag.FlagSet) {
	for _, arg := range arguments {
		fs.StringVar(arg.field(a), arg.flag, "", fmt.Sprintf("%s (or $%s)", arg.usage, strings.Join(arg.env, ", $")))
	}
}

// WithEnv returns a with each argument not given filled from the
// environment variables Enterprise Gateway's kernel pods set: KERNEL_ID,
// RESPONSE_ADDRESS, PUBLIC_KEY and PORT_RANGE (or their EG_ forms).
func (a Args) WithEnv(getenv func(string) string) Args {
	for _, arg := range arguments {
		p := arg.field(&a)
		for _, name := range arg.env {
			if *p != "" {
				break
			}
			*p = getenv(name)
		}
	}
	return a
}

// Given reports whether the gateway asked for a remote launch: a response
// address says where to report, and nothing else works without it.
func (a Args) Given() bool { return a.ResponseAddress != "" }

// Launch is a checked set of launch arguments.
type Launch struct {
	KernelID        string
	ResponseAddress string // host:port
	PublicKey       *rsa.PublicKey
	Ports           PortRange
}

// Launch checks the arguments: a kernel id, a response address, a public
// key and an optional port range are needed.
func (a Args) Launch() (Launch, error) {
	var errs []error
	if a.KernelID == "" {
		errs = append(errs, errors.New("no kernel id (--kernel-id or $KERNEL_ID)"))
	}
	if _, _, err := net.SplitHostPort(a.ResponseAddress); err != nil {
		errs = append(errs, fmt.Errorf("response address %q is not HOST:PORT (--response-address or $RESPONSE_ADDRESS)", a.ResponseAddress))
	}
	key, err := ParsePublicKey(a.PublicKey)
	if err != nil {
		errs = append(errs, fmt.Errorf("public key (--public-key or $PUBLIC_KEY): %w", err))
	}
	ports, err := ParsePortRange(a.PortRange)
	if err != nil {
		errs = append(errs, fmt.Errorf("port range (--port-range or $PORT_RANGE): %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return Launch{}, err
	}
	return Launch{KernelID: a.KernelID, ResponseAddress: a.ResponseAddress, PublicKey: key, Ports: ports}, nil
}

// ParsePublicKey reads an RSA public key as Enterprise Gateway passes it:
// the base64 body of a PEM "PUBLIC KEY" block (DER SubjectPublicKeyInfo)
// without its header lines. A whole PEM block is accepted too.
func ParsePublicKey(s string) (*rsa.PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("missing")
	}
	var der []byte
	if block, _ := pem.Decode([]byte(s)); block != nil {
		der = block.Bytes
	} else {
		var err error
		der, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, fmt.Errorf("not base64: %w", err)
		}
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("not a DER public key: %w", err)
	}
	rsaKey, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an RSA key", key)
	}
	return rsaKey, nil
}
