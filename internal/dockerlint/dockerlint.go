// Package dockerlint checks a Dockerfile against a set of hadolint-style rules (no Dockerfile
// linter can be installed here: hadolint is not packaged and there is no Docker engine), plus
// ganlab's own requirements of its image. `make test` runs it on the repository's Dockerfile.
package dockerlint

import (
	"fmt"
	"regexp"
	"strings"
)

// Instruction is one Dockerfile instruction with its continuation lines joined.
type Instruction struct {
	Line int    // 1-based line of the keyword
	Cmd  string // upper-case keyword: FROM, RUN, …
	Args string
}

// Parse splits a Dockerfile into instructions (comments and blank lines dropped, backslash
// continuations joined).
func Parse(text string) []Instruction {
	var out []Instruction
	var cur *Instruction
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if cur == nil && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur != nil && strings.HasPrefix(line, "#") {
			continue
		}
		cont := strings.HasSuffix(line, "\\")
		line = strings.TrimSuffix(line, "\\")
		if cur == nil {
			cmd, args, _ := strings.Cut(line, " ")
			cur = &Instruction{Line: i + 1, Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)}
		} else {
			cur.Args += " " + strings.TrimSpace(line)
		}
		if !cont {
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// Problem is a rule violation.
type Problem struct {
	Line int
	Rule string // hadolint's code where one exists (DLxxxx), else GANxxx
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s %s", p.Line, p.Rule, p.Msg) }

var (
	pipInstall   = regexp.MustCompile(`pip3? install ([^&;|]*)`)
	pinnedPipArg = regexp.MustCompile(`^"?[A-Za-z0-9_.\-\[\]]+(==|@)[^ ]+"?$`)
)

// Lint applies the rules; required lists ganlab's extra requirements (see Requirements).
func Lint(text string, required []Requirement) []Problem {
	ins := Parse(text)
	var probs []Problem
	add := func(line int, rule, format string, args ...any) {
		probs = append(probs, Problem{line, rule, fmt.Sprintf(format, args...)})
	}
	args := map[string]string{}
	lastUser := ""
	lastUserLine := 0
	sawFrom := false
	for _, in := range ins {
		switch in.Cmd {
		case "ARG":
			name, val, _ := strings.Cut(in.Args, "=")
			args[name] = val
		case "FROM":
			sawFrom = true
			image := strings.Fields(in.Args)[0]
			if m := regexp.MustCompile(`^\$\{?(\w+)\}?$`).FindStringSubmatch(image); m != nil {
				image = args[m[1]]
			}
			switch {
			case image == "":
				add(in.Line, "DL3006", "FROM image has no default value")
			case !strings.Contains(image, ":") && !strings.Contains(image, "@"):
				add(in.Line, "DL3006", "image %q is not pinned to a tag", image)
			case strings.HasSuffix(image, ":latest"):
				add(in.Line, "DL3007", "image %q uses the latest tag", image)
			}
		case "RUN":
			a := in.Args
			if strings.Contains(a, "apt-get install") {
				if !strings.Contains(a, "--no-install-recommends") {
					add(in.Line, "DL3015", "apt-get install without --no-install-recommends")
				}
				if !regexp.MustCompile(`apt-get install[^&;]* -y|apt-get install -y|apt-get -y install`).MatchString(a) {
					add(in.Line, "DL3014", "apt-get install without -y")
				}
				if !strings.Contains(a, "rm -rf /var/lib/apt/lists") {
					add(in.Line, "DL3009", "apt lists not removed in the same RUN")
				}
				if !strings.Contains(a, "apt-get update") {
					add(in.Line, "DL3009", "apt-get install without apt-get update in the same RUN")
				}
			}
			if strings.Contains(a, "apt-get upgrade") || strings.Contains(a, "apt-get dist-upgrade") {
				add(in.Line, "DL3005", "do not upgrade the base image's packages")
			}
			for _, m := range pipInstall.FindAllStringSubmatch(a, -1) {
				if !strings.Contains(m[1], "--no-cache-dir") {
					add(in.Line, "DL3042", "pip install without --no-cache-dir")
				}
				for _, f := range strings.Fields(m[1]) {
					if !strings.HasPrefix(f, "-") && !pinnedPipArg.MatchString(f) {
						add(in.Line, "DL3013", "pip package %s is not pinned (pkg==version)", f)
					}
				}
			}
			if regexp.MustCompile(`(^|&&|;)\s*cd\s`).MatchString(a) {
				add(in.Line, "DL3003", "use WORKDIR instead of cd")
			}
			if strings.Contains(a, "sudo ") {
				add(in.Line, "DL3004", "do not use sudo")
			}
		case "ADD":
			if !strings.Contains(in.Args, "://") {
				add(in.Line, "DL3020", "use COPY for local files")
			}
		case "WORKDIR":
			if !strings.HasPrefix(in.Args, "/") && !strings.HasPrefix(in.Args, "$") {
				add(in.Line, "DL3000", "WORKDIR %q is not absolute", in.Args)
			}
		case "USER":
			lastUser, lastUserLine = in.Args, in.Line
		case "CMD", "ENTRYPOINT":
			if !strings.HasPrefix(in.Args, "[") {
				add(in.Line, "DL3025", "%s not in JSON (exec) form", in.Cmd)
			}
		case "MAINTAINER":
			add(in.Line, "DL4000", "MAINTAINER is deprecated")
		}
	}
	if !sawFrom {
		add(1, "DL3061", "no FROM instruction")
	}
	if lastUser == "" || lastUser == "root" || lastUser == "0" {
		add(lastUserLine, "DL3002", "the image runs as root: add a USER")
	}
	for _, r := range required {
		if !r.Check(ins) {
			add(0, r.Rule, "%s", r.What)
		}
	}
	return probs
}

// Requirement is one thing ganlab's image must do.
type Requirement struct {
	Rule, What string
	Check      func([]Instruction) bool
}

func has(ins []Instruction, cmd, substr string) bool {
	for _, in := range ins {
		if in.Cmd == cmd && strings.Contains(in.Args, substr) {
			return true
		}
	}
	return false
}

// Requirements of the ganlab image (issue: Docker image).
func Requirements() []Requirement {
	return []Requirement{
		{"GAN001", "ENV must set GOTOOLCHAIN=go1.27.3", func(i []Instruction) bool { return has(i, "ENV", "GOTOOLCHAIN=go1.27.3") }},
		{"GAN002", "ENV must set GOEXPERIMENT=simd (the kernel inherits it)", func(i []Instruction) bool { return has(i, "ENV", "GOEXPERIMENT=simd") }},
		{"GAN003", "the install steps must be scripts/deps.sh (CI runs the same script)", func(i []Instruction) bool { return has(i, "RUN", "scripts/deps.sh") }},
		{"GAN004", "the XLA plugin must be installed at build time (--xla), chosen by an ARG (cpu or cuda)", func(i []Instruction) bool {
			return has(i, "RUN", "--xla") && has(i, "ARG", "XLA_PLUGIN=cpu")
		}},
		{"GAN005", "JupyterLab must be installed, pinned", func(i []Instruction) bool { return has(i, "RUN", "jupyterlab==") }},
		{"GAN006", "port 8888 must be exposed", func(i []Instruction) bool { return has(i, "EXPOSE", "8888") }},
		{"GAN007", "the CMD must start JupyterLab in the notebooks directory", func(i []Instruction) bool {
			return has(i, "CMD", `"lab"`) && has(i, "CMD", "notebooks")
		}},
		{"GAN008", "the image must be based on Go 1.27.3", func(i []Instruction) bool { return has(i, "ARG", "golang:1.27.3") || has(i, "FROM", "golang:1.27.3") }},
	}
}
