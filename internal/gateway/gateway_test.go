package gateway

import (
	"context"
	"crypto/aes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"io"
	"log/slog"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goawait/goawait/kernel"
)

// gatewayKey is an RSA key pair like the one the gateway makes (1024 bits)
// and its public half as the gateway passes it.
func gatewayKey(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return priv, base64.StdEncoding.EncodeToString(der)
}

// unseal undoes Seal as the gateway's response manager does.
func unseal(t *testing.T, priv *rsa.PrivateKey, payload []byte) map[string]any {
	t.Helper()
	outer, err := base64.StdEncoding.DecodeString(string(payload))
	if err != nil {
		t.Fatalf("payload is not base64: %v", err)
	}
	var s map[string]any
	if err := json.Unmarshal(outer, &s); err != nil {
		t.Fatalf("payload is not JSON: %v", err)
	}
	if s["version"] != float64(1) {
		t.Fatalf("version = %v, want 1", s["version"])
	}
	encKey, _ := base64.StdEncoding.DecodeString(s["key"].(string))
	//lint:ignore SA1019 the gateway's side of the protocol, which uses PKCS #1 v1.5.
	aesKey, err := rsa.DecryptPKCS1v15(nil, priv, encKey)
	if err != nil {
		t.Fatalf("decrypting the AES key: %v", err)
	}
	if len(aesKey) != 16 {
		t.Fatalf("AES key of %d bytes, want 16 (AES-128)", len(aesKey))
	}
	ct, _ := base64.StdEncoding.DecodeString(s["conn_info"].(string))
	if len(ct) == 0 || len(ct)%16 != 0 {
		t.Fatalf("conn_info of %d bytes is not whole AES blocks", len(ct))
	}
	block, _ := aes.NewCipher(aesKey)
	for i := 0; i < len(ct); i += 16 {
		block.Decrypt(ct[i:i+16], ct[i:i+16])
	}
	n := int(ct[len(ct)-1])
	if n < 1 || n > 16 || strings.Count(string(ct[len(ct)-n:]), string(rune(n))) != n {
		t.Fatalf("bad PKCS #7 padding % x", ct[len(ct)-16:])
	}
	var info map[string]any
	if err := json.Unmarshal(ct[:len(ct)-n], &info); err != nil {
		t.Fatalf("conn_info is not JSON: %v", err)
	}
	return info
}

func testLaunch(t *testing.T) (Launch, *rsa.PrivateKey) {
	priv, pub := gatewayKey(t)
	l, err := Args{KernelID: "8c9a0e5e-7f41-4d0b-9a3c-1d2e3f405162", ResponseAddress: "127.0.0.1:1", PublicKey: pub}.Launch()
	if err != nil {
		t.Fatal(err)
	}
	return l, priv
}

var testConn = kernel.ConnectionInfo{
	Transport: "tcp", IP: "0.0.0.0", ShellPort: 40001, ControlPort: 40002, StdinPort: 40003, IOPubPort: 40004, HBPort: 40005,
	Key: "a-signing-key", SignatureScheme: "hmac-sha256",
}

func TestSealedReportCarriesWhatTheGatewayNeeds(t *testing.T) {
	l, priv := testLaunch(t)
	payload, err := Seal(l.NewReport(testConn, 40006), l.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	got := unseal(t, priv, payload)
	want := map[string]any{
		"transport": "tcp", "ip": "0.0.0.0", "shell_port": 40001.0, "control_port": 40002.0, "stdin_port": 40003.0,
		"iopub_port": 40004.0, "hb_port": 40005.0, "key": "a-signing-key", "signature_scheme": "hmac-sha256", "kernel_name": "",
		"pid": float64(os.Getpid()), "comm_port": 40006.0, "kernel_id": l.KernelID,
	}
	if pgid := processGroup(); pgid != 0 {
		want["pgid"] = float64(pgid)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report\n got %v\nwant %v", got, want)
	}
}

func TestSealUsesAFreshKeyEachTime(t *testing.T) {
	l, _ := testLaunch(t)
	a, _ := Seal(l.NewReport(testConn, 1), l.PublicKey)
	b, _ := Seal(l.NewReport(testConn, 1), l.PublicKey)
	if string(a) == string(b) {
		t.Error("two seals of one report are equal: the AES key is not random")
	}
}

func TestPKCS7PadsWholeBlocks(t *testing.T) {
	for n := range 40 {
		p := pkcs7Pad(make([]byte, n), 16)
		pad := 16 - n%16
		if len(p) != n+pad || int(p[len(p)-1]) != pad {
			t.Errorf("pad(%d bytes) = %d bytes ending in %d, want %d ending in %d", n, len(p), p[len(p)-1], n+pad, pad)
		}
	}
}

func TestAnnounceSendsTheSealedReportAndCloses(t *testing.T) {
	l, priv := testLaunch(t)
	gw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close()
	l.ResponseAddress = gw.Addr().String()
	received := make(chan []byte, 1)
	go func() {
		c, err := gw.Accept()
		if err != nil {
			received <- nil
			return
		}
		defer c.Close()
		data, _ := io.ReadAll(c) // ends when the kernel closes
		received <- data
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Announce(ctx, l.NewReport(testConn, 40006)); err != nil {
		t.Fatal(err)
	}
	info := unseal(t, priv, <-received)
	if info["kernel_id"] != l.KernelID || info["comm_port"] != 40006.0 {
		t.Errorf("gateway received %v", info)
	}
}

func TestAnnounceToNobodyFails(t *testing.T) {
	l, _ := testLaunch(t)
	gw, _ := net.Listen("tcp", "127.0.0.1:0")
	l.ResponseAddress = gw.Addr().String()
	gw.Close()
	err := l.Announce(context.Background(), l.NewReport(testConn, 1))
	if err == nil || !strings.Contains(err.Error(), l.ResponseAddress) {
		t.Errorf("err = %v, want one naming %s", err, l.ResponseAddress)
	}
}

func TestParsePublicKey(t *testing.T) {
	priv, b64 := gatewayKey(t)
	der, _ := base64.StdEncoding.DecodeString(b64)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	for name, s := range map[string]string{"gateway form": b64, "whole PEM": pemText} {
		k, err := ParsePublicKey(s)
		if err != nil || !k.Equal(&priv.PublicKey) {
			t.Errorf("%s: key %v, err %v", name, k, err)
		}
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	for name, s := range map[string]string{
		"empty": "", "not base64": "@@@", "not DER": base64.StdEncoding.EncodeToString([]byte("hello")),
		"not RSA": base64.StdEncoding.EncodeToString(ecDER),
	} {
		if _, err := ParsePublicKey(s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParsePortRange(t *testing.T) {
	for s, want := range map[string]PortRange{"": {}, "0..0": {}, "9000..9000": {}, "9000..9999": {9000, 9999}, " 1..65535": {1, 65535}} {
		got, err := ParsePortRange(s)
		if err != nil || got != want {
			t.Errorf("ParsePortRange(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"9000", "9000-9999", "a..b", "9999..9000", "0..10", "1..65536"} {
		if r, err := ParsePortRange(s); err == nil {
			t.Errorf("ParsePortRange(%q) = %v, want an error", s, r)
		}
	}
}

func TestFreePortsAreDistinctAndInRange(t *testing.T) {
	// A range of 1000 ports (the gateway's minimum) somewhere high.
	r := PortRange{Low: 42000, High: 42999}
	ports, err := r.FreePorts("127.0.0.1", 6)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if !r.Contains(p) || seen[p] {
			t.Errorf("ports %v: %d out of range or repeated", ports, p)
		}
		seen[p] = true
	}
	any, _ := PortRange{}.FreePorts("127.0.0.1", 5)
	if !reflect.DeepEqual(any, []int{0, 0, 0, 0, 0}) {
		t.Errorf("any range: %v, want zeros (the binder chooses)", any)
	}
}

func TestListenFailsWhenTheRangeIsFull(t *testing.T) {
	// Take two adjacent ports, then ask for one of them.
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	var low int
	for low == 0 {
		a, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := a.Addr().(*net.TCPAddr).Port
		b, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+1))
		if err != nil {
			a.Close()
			continue
		}
		held = append(held, a, b)
		low = p
	}
	l, err := PortRange{low, low + 1}.Listen("127.0.0.1")
	if err == nil {
		l.Close()
		t.Fatalf("listened at %v in a full range", l.Addr())
	}
	if !strings.Contains(err.Error(), "no free port") {
		t.Errorf("err = %v", err)
	}
}

func TestArgsFromFlagsThenEnvironment(t *testing.T) {
	var a Args
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	a.Flags(fs)
	if err := fs.Parse([]string{"--kernel-id", "from-flag", "--port-range", "5000..6000"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"KERNEL_ID": "from-env", "EG_RESPONSE_ADDRESS": "10.0.0.1:8877", "PUBLIC_KEY": "pk", "EG_PUBLIC_KEY": "eg-pk",
		"PORT_RANGE": "7000..8000",
	}
	got := a.WithEnv(func(k string) string { return env[k] })
	want := Args{KernelID: "from-flag", ResponseAddress: "10.0.0.1:8877", PublicKey: "pk", PortRange: "5000..6000"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if !got.Given() || (Args{KernelID: "x"}).Given() {
		t.Error("Given should mean: a response address was given")
	}
	usage := new(strings.Builder)
	fs.SetOutput(usage)
	fs.PrintDefaults()
	for _, name := range []string{"-kernel-id", "-response-address", "-public-key", "-port-range", "$KERNEL_ID", "$RESPONSE_ADDRESS", "$EG_RESPONSE_ADDRESS", "$PUBLIC_KEY", "$PORT_RANGE"} {
		if !strings.Contains(usage.String(), name) {
			t.Errorf("usage does not mention %s:\n%s", name, usage)
		}
	}
}

func TestLaunchNamesEveryMissingArgument(t *testing.T) {
	_, err := Args{PortRange: "1..2..3"}.Launch()
	if err == nil {
		t.Fatal("no error")
	}
	for _, what := range []string{"kernel id", "response address", "public key", "port range"} {
		if !strings.Contains(err.Error(), what) {
			t.Errorf("error does not mention the %s: %v", what, err)
		}
	}
}

func TestParseRequest(t *testing.T) {
	sig := func(n int) *int { return &n }
	for in, want := range map[string]Request{
		`{"signum": 0}`:                 {Signal: sig(0)},
		`{"signum": 2}`:                 {Signal: sig(2)},
		`{"signum": "15"}`:              {Signal: sig(15)},
		`{"shutdown": 1}`:               {Shutdown: true},
		`{"shutdown": 0}`:               {},
		`{"shutdown": true}`:            {Shutdown: true},
		`{"signum": 15, "shutdown": 1}`: {Signal: sig(15), Shutdown: true},
		`{}`:                            {},
	} {
		got, err := ParseRequest([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseRequest(%s) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{``, `signum`, `{"signum": 2.5}`, `{"signum": "two"}`, `{"signum": [2]}`} {
		if r, err := ParseRequest([]byte(in)); err == nil {
			t.Errorf("ParseRequest(%s) = %+v, want an error", in, r)
		}
	}
}

// fakeKernel records what the requests asked of it.
type fakeKernel struct{ calls chan string }

func (k fakeKernel) Interrupt() { k.calls <- "interrupt" }
func (k fakeKernel) Shutdown()  { k.calls <- "shutdown" }

// serveFake serves the communication port for a fake kernel.
func serveFake(t *testing.T) (addr string, k fakeKernel, done chan error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k = fakeKernel{calls: make(chan string, 10)}
	done = make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { done <- ServeRequests(ctx, l, k, slog.New(slog.DiscardHandler)) }()
	return l.Addr().String(), k, done
}

// send sends one request as the gateway does: write, then close.
func send(t *testing.T, addr, req string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestRequestsActOnTheKernel(t *testing.T) {
	addr, k, done := serveFake(t)
	send(t, addr, `{"signum": 0}`)
	send(t, addr, `not json`)
	send(t, addr, `{"signum": 2}`)
	if got := <-k.calls; got != "interrupt" {
		t.Fatalf("SIGINT: %s, want interrupt (the poll and the bad request do nothing)", got)
	}
	send(t, addr, `{"signum": 15}`)
	if got := <-k.calls; got != "shutdown" {
		t.Fatalf("SIGTERM: %s, want shutdown", got)
	}
	select {
	case err := <-done:
		t.Fatalf("the port closed after SIGTERM (err %v): the gateway still sends its shutdown request", err)
	default:
	}
	send(t, addr, `{"shutdown": 1}`)
	if got := <-k.calls; got != "shutdown" {
		t.Fatalf("shutdown request: %s", got)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("the communication port still answers after shutdown")
	}
	select {
	case extra := <-k.calls:
		t.Errorf("unexpected %s", extra)
	default:
	}
}

func TestServeRequestsEndsWithItsContext(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ServeRequests(ctx, l, fakeKernel{calls: make(chan string, 1)}, slog.New(slog.DiscardHandler))
	}()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("err = %v, want nil after cancel", err)
	}
}
