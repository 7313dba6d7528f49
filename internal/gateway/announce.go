package gateway

import (
	"context"
	"crypto/aes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"os"

	"github.com/goawait/goawait/kernel"
)

// Report is what a kernel tells the gateway once it listens: its
// connection info (the ports it bound and the key that signs messages),
// the process ids the gateway may signal when the communication port does
// not answer, the communication port and the kernel id, which tells the
// gateway which of its pending kernels this is.
type Report struct {
	kernel.ConnectionInfo
	PID      int    `json:"pid"`
	PGID     int    `json:"pgid,omitempty"`
	CommPort int    `json:"comm_port"`
	KernelID string `json:"kernel_id"`
}

// NewReport is the report of this process for a kernel that listens at
// conn and takes requests on commPort.
func (l Launch) NewReport(conn kernel.ConnectionInfo, commPort int) Report {
	return Report{ConnectionInfo: conn, PID: os.Getpid(), PGID: processGroup(), CommPort: commPort, KernelID: l.KernelID}
}

// payloadVersion is the version of the sealed payload's format the
// gateway's response manager decrypts with an RSA private key.
const payloadVersion = 1

// sealed is the payload's JSON, base64-encoded before it is sent.
type sealed struct {
	Version  int    `json:"version"`
	Key      string `json:"key"`       // the AES key, RSA-encrypted, base64
	ConnInfo string `json:"conn_info"` // the report, AES-encrypted, base64
}

// Seal encrypts the report as the gateway expects: the report's JSON
// under a fresh AES-128 key (ECB mode, PKCS #7 padding), the AES key under
// the gateway's RSA public key (PKCS #1 v1.5), both base64-encoded in a
// JSON object that is base64-encoded in turn.
func Seal(r Report, publicKey *rsa.PublicKey) ([]byte, error) {
	plain, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encoding the connection info: %w", err)
	}
	aesKey := make([]byte, 16)
	if _, err := rand.Read(aesKey); err != nil {
		return nil, fmt.Errorf("making a key: %w", err)
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, fmt.Errorf("making a cipher: %w", err)
	}
	// ECB: each 16-byte block on its own, which is what the gateway
	// decrypts; the standard library has no ECB mode because it is a
	// weak one, so it is spelled out here.
	padded := pkcs7Pad(plain, block.BlockSize())
	for i := 0; i < len(padded); i += block.BlockSize() {
		block.Encrypt(padded[i:i+block.BlockSize()], padded[i:i+block.BlockSize()])
	}
	//lint:ignore SA1019 the gateway decrypts the AES key with PKCS #1 v1.5 (its launchers use it too); OAEP would not be read.
	encKey, err := rsa.EncryptPKCS1v15(rand.Reader, publicKey, aesKey)
	if err != nil {
		return nil, fmt.Errorf("encrypting the key: %w", err)
	}
	payload, err := json.Marshal(sealed{
		Version:  payloadVersion,
		Key:      base64.StdEncoding.EncodeToString(encKey),
		ConnInfo: base64.StdEncoding.EncodeToString(padded),
	})
	if err != nil {
		return nil, err
	}
	return []byte(base64.StdEncoding.EncodeToString(payload)), nil
}

// pkcs7Pad appends n bytes of value n, 1 <= n <= size, to reach a
// multiple of size.
func pkcs7Pad(b []byte, size int) []byte {
	n := size - len(b)%size
	out := make([]byte, len(b), len(b)+n)
	copy(out, b)
	for range n {
		out = append(out, byte(n))
	}
	return out
}

// Announce seals the report and sends it to the gateway's response
// address. The gateway reads until the connection closes.
func (l Launch) Announce(ctx context.Context, r Report) error {
	payload, err := Seal(r, l.PublicKey)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", l.ResponseAddress)
	if err != nil {
		return fmt.Errorf("reaching the gateway at %s: %w", l.ResponseAddress, err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetWriteDeadline(deadline)
	}
	if _, err := conn.Write(payload); err != nil {
		return fmt.Errorf("sending the connection info to %s: %w", l.ResponseAddress, err)
	}
	if err := conn.Close(); err != nil {
		return fmt.Errorf("sending the connection info to %s: %w", l.ResponseAddress, err)
	}
	return nil
}
