package modload

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
)

// manifest describes a plugin in the cache.
type manifest struct {
	Key       string
	Packages  []Package        // the packages whose tables the plugin holds
	Instances []LoadedInstance // the generic instances it holds
	Modules   []Module         // the modules of every package linked into the plugin
	// Local: a package comes from a directory, whose files can change
	// under the same version, so the plugin is found by resolving again
	// (and hashing the files), never by the request alone.
	Local bool
}

// pluginCache is the directory of built plugins, shared by every work
// module and kernel of the user: a plugin's key says all that made it.
type pluginCache struct{ dir string }

func (c pluginCache) pluginDir(key string) string { return filepath.Join(c.dir, "plugins", key) }
func (c pluginCache) pluginFile(key string) string {
	return filepath.Join(c.pluginDir(key), "plugin.so")
}
func (c pluginCache) requestFile(req string) string { return filepath.Join(c.dir, "requests", req) }

// manifest returns the manifest of the plugin keyed key, or nil when the
// cache does not hold that plugin (the manifest is written last).
func (c pluginCache) manifest(key string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(c.pluginDir(key), "manifest.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the plugin cache: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read the plugin cache: %s: %w", key, err)
	}
	if _, err := os.Stat(c.pluginFile(key)); err != nil {
		return nil, nil
	}
	return &m, nil
}

// writeManifest records that the plugin keyed m.Key is complete.
func (c pluginCache) writeManifest(m *manifest) error {
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(c.pluginDir(m.Key), "manifest.json"), b)
}

// request returns the key of the plugin a request (see requestKey) was
// answered with, or "".
func (c pluginCache) request(req string) string {
	b, err := os.ReadFile(c.requestFile(req))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// recordRequest remembers that the request req is answered by the
// plugin keyed key.
func (c pluginCache) recordRequest(req, key string) error {
	if err := os.MkdirAll(filepath.Dir(c.requestFile(req)), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(c.requestFile(req), []byte(key+"\n"))
}

// writeFileAtomic writes b to file through a temporary file and a rename,
// so that a kernel reading at the same moment sees all or nothing.
func writeFileAtomic(file string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(file), ".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), file)
}

// process records the plugins this process opened. A plugin cannot be
// unloaded, and once open its packages are the process's, whichever
// Loader opened it: this record is the process's, as the runtime's own
// list of plugins is, and not a Loader's.
var process = struct {
	sync.Mutex
	plugins map[string]*openedPlugin // by key
	order   []string                 // keys, in the order opened
}{plugins: map[string]*openedPlugin{}}

// openedPlugin is a plugin this process opened.
type openedPlugin struct {
	manifest *manifest
	symbols  map[string]map[string]reflect.Value
}

// openCached returns the plugin keyed m.Key, opening the cache's file
// unless the process has it open already (Go's plugin package cannot
// open two files with the same plugin path, and a key is one path).
func openCached(c pluginCache, m *manifest) (*openedPlugin, error) {
	process.Lock()
	defer process.Unlock()
	if p := process.plugins[m.Key]; p != nil {
		return p, nil
	}
	syms, err := openPlugin(c.pluginFile(m.Key))
	if err != nil {
		return nil, fmt.Errorf("load the plugin of %s: %w", strings.Join(m.names(), ", "), err)
	}
	p := &openedPlugin{manifest: m, symbols: syms}
	process.plugins[m.Key] = p
	process.order = append(process.order, m.Key)
	return p, nil
}

// openedKey returns the plugin keyed key if this process opened it.
func openedKey(key string) *openedPlugin {
	process.Lock()
	defer process.Unlock()
	return process.plugins[key]
}

// runningModules returns the modules whose packages plugins of this
// process link, with the imports that brought each in.
func runningModules() map[string]runningModule {
	process.Lock()
	defer process.Unlock()
	out := map[string]runningModule{}
	for _, k := range process.order {
		m := process.plugins[k].manifest
		for _, mod := range m.Modules {
			if _, ok := out[mod.Path]; !ok {
				out[mod.Path] = runningModule{Module: mod, imports: m.names()}
			}
		}
	}
	return out
}

// runningModule is a module whose packages the process runs.
type runningModule struct {
	Module
	imports []string // the imports whose plugin brought it in; none: linked into the kernel
}

// names returns what the plugin holds, as a message names it.
func (m *manifest) names() []string {
	var out []string
	for _, p := range m.Packages {
		out = append(out, p.Path)
	}
	for _, in := range m.Instances {
		out = append(out, in.String())
	}
	return out
}
