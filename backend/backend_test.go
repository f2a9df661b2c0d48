package backend

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

func TestResolvePrecedence(t *testing.T) {
	t.Setenv(EnvVar, "go")
	if c := Resolve("xla:cpu"); c.Config != "xla:cpu" || c.Reason != "requested" {
		t.Fatalf("explicit request lost: %+v", c)
	}
	if c := Resolve(""); c.Config != "go" || c.Reason != "from "+EnvVar {
		t.Fatalf("environment ignored: %+v", c)
	}
	t.Setenv(EnvVar, "")
	c := Resolve("")
	if len(installedXLAPlugins()) == 0 && (c.Config != "go" || !strings.Contains(c.Reason, "no XLA plugin")) {
		t.Fatalf("without a plugin the default must be the go backend: %+v", c)
	}
}

func TestNewErrorsInsteadOfPanicsOrDownloads(t *testing.T) {
	Quiet()
	if _, err := New("no-such-backend"); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Fatalf("unknown backend: %v", err)
	}
	if len(installedXLAPlugins()) == 0 {
		_, err := New("xla:cpu")
		if err == nil || !strings.Contains(err.Error(), "-backend go") {
			t.Fatalf("missing plugin: %v", err)
		}
		if strings.Contains(err.Error(), "autoinstall") {
			t.Fatalf("the error should not advise importing the auto-installer: %v", err)
		}
	}
	b, err := New("go")
	if err != nil || b == nil {
		t.Fatalf("go backend: %v", err)
	}
}

// A bare "go" gets one executor per core; options given explicitly are kept as they are.
func TestGoDefaultOptions(t *testing.T) {
	defer func(w io.Writer) { Log = w }(Log)
	var report strings.Builder
	Log = &report
	if _, err := New("go"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("backend go:ops_parallel,num_executors=%d ", runtime.GOMAXPROCS(0))
	if !strings.Contains(report.String(), want) {
		t.Errorf("bare go: reported %q, want it to contain %q", report.String(), want)
	}
	report.Reset()
	if _, err := New("go:ops_sequential"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report.String(), "backend go:ops_sequential ") {
		t.Errorf("explicit options: reported %q", report.String())
	}
}
