package dockerlint

import (
	"os"
	"strings"
	"testing"
)

// TestRepositoryDockerfile lints ../../Dockerfile: no problem allowed.
func TestRepositoryDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Lint(string(data), Requirements()) {
		t.Errorf("Dockerfile %s", p)
	}
}

// TestRulesCatchViolations: each rule fires on a Dockerfile that breaks it.
func TestRulesCatchViolations(t *testing.T) {
	bad := `FROM golang
ADD . /src
WORKDIR src
RUN apt-get update && apt-get install python3
RUN cd /src && pip install jupyterlab
CMD jupyter lab
`
	probs := Lint(bad, Requirements())
	var got []string
	for _, p := range probs {
		got = append(got, p.Rule)
	}
	all := strings.Join(got, " ")
	for _, want := range []string{"DL3006", "DL3020", "DL3000", "DL3015", "DL3014", "DL3009", "DL3003", "DL3042", "DL3013", "DL3025", "DL3002",
		"GAN001", "GAN002", "GAN003", "GAN004", "GAN005", "GAN006", "GAN007", "GAN008"} {
		if !strings.Contains(all, want) {
			t.Errorf("rule %s did not fire; got %s", want, all)
		}
	}
	if p := Lint("FROM debian:latest\nUSER app\n", nil); len(p) != 1 || p[0].Rule != "DL3007" {
		t.Errorf("latest tag: %v", p)
	}
}

func TestParseJoinsContinuations(t *testing.T) {
	ins := Parse("# c\nFROM a:1\nRUN x \\\n  # inner comment\n && y\n\nUSER u\n")
	if len(ins) != 3 || ins[1].Cmd != "RUN" || !strings.Contains(ins[1].Args, "&& y") || ins[2].Line != 7 {
		t.Fatalf("%+v", ins)
	}
}
