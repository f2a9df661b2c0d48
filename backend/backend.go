// Package backend chooses the GoMLX compute backend that ganlab runs on, deliberately.
//
// GoMLX's own default (compute.New) asks for XLA first and, when no PJRT plugin is installed
// and its auto-installer is linked in, tries to download one; offline it then fails instead of
// falling back. ganlab never links the auto-installer, so nothing is ever downloaded unless
// the user installs a plugin themselves (see the README's "Backends" section).
//
// The choice, in order:
//
//  1. an explicit configuration (the CLI's -backend flag, or [New]'s argument), e.g. "go",
//     "xla:cpu", "xla:cuda";
//  2. the environment variable GOMLX_BACKEND, with the same format;
//  3. XLA, when a PJRT plugin is already installed (PJRT_PLUGIN_LIBRARY_PATH,
//     /usr/local/lib/go-xla, ~/.local/lib/go-xla, or the system library path);
//  4. the pure-Go backend ("go"), which always works.
//
// One line on stderr names the backend chosen and why (silence it with [Quiet]).
//
// The pure-Go backend's AVX2/AVX-512 kernels are compiled only when the binary is built with
// GOEXPERIMENT=simd; [SIMD] reports whether this binary was.
package backend

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// GoDefaultOptions returns the options added to a bare "go" configuration: independent ops run
// concurrently on one executor per core (ops_parallel, num_executors = GOMAXPROCS). The backend's
// own default of 2 executors per core made the ops compete with the matrix products' parallelism
// (on 2 cores the DCGAN step was 30–40% slower), and ops_sequential (one op at a time) left a core
// idle during every single-threaded op: gathers, scatter-adds, random numbers (docs/performance.md,
// v8). Give options explicitly (e.g. GOMLX_BACKEND=go:ops_sequential) to override.
func GoDefaultOptions() string {
	return fmt.Sprintf("ops_parallel,num_executors=%d", runtime.GOMAXPROCS(0))
}

// EnvVar is the environment variable GoMLX reads its backend configuration from.
const EnvVar = compute.ConfigEnvVar // "GOMLX_BACKEND"

// Log is where the one-line report of the choice goes; set it to io.Discard to silence it.
var Log io.Writer = os.Stderr

// Quiet silences the report line.
func Quiet() { Log = io.Discard }

// Choice is what [Resolve] decided, before anything is constructed.
type Choice struct {
	Config string // e.g. "go" or "xla:cpu"
	Reason string // e.g. "from -backend", "from GOMLX_BACKEND", "XLA plugin found", "default"
}

// Resolve decides which backend configuration to use without constructing it.
// explicit is the user's request ("" for none).
func Resolve(explicit string) Choice {
	if c := strings.TrimSpace(explicit); c != "" {
		return Choice{Config: c, Reason: "requested"}
	}
	if c, ok := os.LookupEnv(EnvVar); ok && strings.TrimSpace(c) != "" {
		return Choice{Config: strings.TrimSpace(c), Reason: "from " + EnvVar}
	}
	if plugins := installedXLAPlugins(); len(plugins) > 0 {
		plugin := plugins[0]
		for _, p := range plugins { // prefer an accelerator when one is installed
			if strings.HasPrefix(p, "cuda") {
				plugin = p
				break
			}
		}
		return Choice{Config: "xla:" + plugin, Reason: "XLA plugin found"}
	}
	return Choice{Config: gobackend.BackendName, Reason: "default: no XLA plugin installed"}
}

// New constructs the backend chosen by [Resolve](explicit) and writes one line naming it to [Log].
// An unknown backend name or a missing XLA plugin is an error, never a download or a panic.
func New(explicit string) (b compute.Backend, err error) {
	choice := Resolve(explicit)
	name, _, _ := strings.Cut(choice.Config, ":")
	known := compute.List()
	found := false
	for _, k := range known {
		if k == name {
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("backend %q (%s) is not available in this build; available: %s",
			choice.Config, choice.Reason, strings.Join(known, ", "))
	}
	defer func() { // some constructors panic on bad configurations
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("backend %q (%s): %v", choice.Config, choice.Reason, r)
		}
	}()
	config := choice.Config
	if name == gobackend.BackendName && SIMD {
		reserveHeapHeadroom()
	}
	if name == gobackend.BackendName && !strings.Contains(config, ":") {
		config += ":" + GoDefaultOptions()
	}
	b, err = compute.NewWithConfig(config)
	if err != nil {
		hint := ""
		if name != gobackend.BackendName {
			hint = `; install a PJRT plugin (README, "Backends") or use the pure-Go backend: -backend go / GOMLX_BACKEND=go`
		}
		return nil, fmt.Errorf("backend %q (%s): %s%s", choice.Config, choice.Reason, firstLine(err.Error()), hint)
	}
	desc := b.Name()
	if name == gobackend.BackendName {
		if SIMD {
			desc += ", SIMD kernels on"
		} else {
			desc += ", SIMD kernels off: build with GOEXPERIMENT=simd for ~3x speed"
		}
	}
	fmt.Fprintf(Log, "ganlab: backend %s (%s; %s)\n", config, desc, choice.Reason)
	return b, nil
}

// MustNew is [New] for notebooks and main: it panics on error.
func MustNew(explicit string) compute.Backend {
	b, err := New(explicit)
	if err != nil {
		panic(err)
	}
	return b
}

// firstLine drops what follows a message's first line (some backend errors append advice that
// does not apply to ganlab, such as importing the auto-installer).
func firstLine(s string) string {
	if i := strings.Index(s, " -- "); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// Report describes this binary and the backend that explicit would choose: the Go version, the
// GoMLX modules linked in, whether the SIMD kernels were compiled, and the choice with its
// reason; one "name value" line each.
func Report(explicit string) []string {
	lines := []string{fmt.Sprintf("go     %s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			switch dep.Path {
			case "github.com/gomlx/gomlx", "github.com/gomlx/compute", "github.com/gomlx/go-xla":
				lines = append(lines, fmt.Sprintf("%-6s %s %s", "dep", dep.Path, dep.Version))
			}
		}
	}
	simd := "off (rebuild with GOEXPERIMENT=simd for the go backend's AVX2/AVX-512 kernels)"
	if SIMD {
		simd = "on"
	}
	choice := Resolve(explicit)
	return append(lines, "simd   "+simd, fmt.Sprintf("backend %s (%s)", choice.Config, choice.Reason))
}
