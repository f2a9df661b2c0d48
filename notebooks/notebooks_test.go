// Package notebooks holds the GoNB notebooks; its test checks their Go without running them.
package notebooks

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A code cell as GoNB reads it: lines starting with ! or % are kernel commands; "%%" starts the
// body of a main function (run when the cell runs); everything else is top-level declarations
// that later cells see (a later declaration of a name replaces the earlier one).
type cell struct {
	index       int
	decls, body string
	hasBody     bool
}

func readCells(t *testing.T, path string) []cell {
	t.Helper()
	var nb struct {
		Cells []struct {
			CellType string   `json:"cell_type"`
			Source   []string `json:"source"`
		} `json:"cells"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var cells []cell
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		out := cell{index: i}
		var decls, body []string
		for _, line := range strings.Split(strings.Join(c.Source, ""), "\n") {
			switch {
			case strings.TrimSpace(line) == "%%":
				out.hasBody = true
			case strings.HasPrefix(line, "!") || strings.HasPrefix(line, "%"):
			case out.hasBody:
				body = append(body, line)
			default:
				decls = append(decls, line)
			}
		}
		out.decls, out.body = strings.Join(decls, "\n"), strings.Join(body, "\n")
		cells = append(cells, out)
	}
	return cells
}

// gofmtProblems returns how the cell differs from gofmt's layout ("" when it does not). A body
// is formatted inside a function, one tab deeper, and compared back.
func (c cell) gofmtProblems() string {
	parts := []string{"package main"}
	if decls := strings.Trim(c.decls, "\n"); strings.TrimSpace(decls) != "" {
		parts = append(parts, decls)
	}
	if c.hasBody {
		var body []string
		for _, line := range strings.Split(strings.Trim(c.body, "\n"), "\n") {
			if line != "" {
				line = "\t" + line
			}
			body = append(body, line)
		}
		parts = append(parts, "func cell() {\n"+strings.Join(body, "\n")+"\n}")
	}
	src := strings.Join(parts, "\n\n") + "\n"
	formatted, err := format.Source([]byte(src))
	if err != nil {
		return err.Error()
	}
	if norm := strings.TrimSpace(string(formatted)); norm != strings.TrimSpace(src) {
		a, b := strings.Split(strings.TrimSpace(src), "\n"), strings.Split(norm, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				return fmt.Sprintf("gofmt wants %q, not %q", strings.TrimLeft(b[i], "\t"), strings.TrimLeft(a[i], "\t"))
			}
		}
		return "gofmt changes the cell's layout"
	}
	return ""
}

// program assembles a notebook's cells into one Go file, as GoNB would: every cell's
// declarations (the last of each name), imports merged, and each cell's body as a function.
func program(t *testing.T, name string, cells []cell) string {
	t.Helper()
	imports := map[string]string{} // path → name ("" for the default)
	var order []string
	decls := map[string]string{}
	for _, c := range cells {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", "package main\n"+c.decls, parser.ParseComments)
		if err != nil {
			t.Errorf("%s cell %d: %v", name, c.index, err)
			continue
		}
		src := []byte("package main\n" + c.decls)
		for _, d := range f.Decls {
			text := string(src[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset])
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					for _, s := range d.Specs {
						is := s.(*ast.ImportSpec)
						alias := ""
						if is.Name != nil {
							alias = is.Name.Name
						}
						imports[strings.Trim(is.Path.Value, `"`)] = alias
					}
					continue
				}
				key := fmt.Sprintf("%s@%d", d.Tok, c.index)
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						key = "type " + s.Name.Name
					case *ast.ValueSpec:
						key = "value " + s.Names[0].Name
					}
				}
				if _, seen := decls[key]; !seen {
					order = append(order, key)
				}
				decls[key] = text
			case *ast.FuncDecl:
				key := "func " + d.Name.Name
				if d.Recv != nil {
					key = fmt.Sprintf("method %s.%s", exprString(d.Recv.List[0].Type), d.Name.Name)
				}
				if _, seen := decls[key]; !seen {
					order = append(order, key)
				}
				decls[key] = text
			}
		}
	}
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for path, alias := range imports {
		fmt.Fprintf(&b, "\t%s %q\n", alias, path)
	}
	b.WriteString(")\n\n")
	for _, key := range order {
		b.WriteString(decls[key] + "\n\n")
	}
	for _, c := range cells {
		if c.hasBody {
			fmt.Fprintf(&b, "func cell%02d() {\n%s\n}\n\n", c.index, c.body)
		}
	}
	b.WriteString("func main() {}\n")
	return b.String()
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.Ident:
		return e.Name
	}
	return fmt.Sprintf("%T", e)
}

var unusedImport = regexp.MustCompile(`: "([^"]+)" imported( as \w+)? and not used`)

// TestNotebooksCompile gofmt-checks every notebook's Go cells and compiles each notebook as one
// program (without running it): a notebook that GoNB could not build fails here in seconds.
// Like GoNB (which runs goimports), an unused import is not an error.
func TestNotebooksCompile(t *testing.T) {
	paths, _ := filepath.Glob("*.ipynb")
	if len(paths) == 0 {
		t.Fatal("no notebooks")
	}
	dir, err := os.MkdirTemp(".", "_compile") // inside the module, so that its packages resolve
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	var pkgs []string
	for i, path := range paths {
		cells := readCells(t, path)
		for _, c := range cells {
			if p := c.gofmtProblems(); p != "" {
				t.Errorf("%s cell %d: %s", path, c.index, p)
			}
		}
		pkg := filepath.Join(dir, fmt.Sprintf("nb%d", i))
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "main.go"), []byte(program(t, path, cells)), 0o644); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, "./"+filepath.ToSlash(pkg))
	}
	names := map[string]string{}
	for i, p := range pkgs {
		names[strings.TrimPrefix(p, "./")] = paths[i]
	}
	for range 5 { // drop unused imports, as goimports does, and compile again
		out, err := exec.Command("go", append([]string{"vet"}, pkgs...)...).CombinedOutput()
		if err == nil {
			return
		}
		dropped := false
		for _, line := range strings.Split(string(out), "\n") {
			m := unusedImport.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			file := strings.SplitN(line, ":", 2)[0]
			file = strings.TrimPrefix(strings.TrimPrefix(file, "vet: "), "./")
			src, rerr := os.ReadFile(file)
			if rerr != nil {
				continue
			}
			fixed := regexp.MustCompile(`(?m)^\t\w* ?"`+regexp.QuoteMeta(m[1])+`"\n`).ReplaceAll(src, nil)
			dropped = dropped || len(fixed) != len(src)
			_ = os.WriteFile(file, fixed, 0o644)
		}
		if !dropped {
			msg := string(out)
			for pkg, nb := range names {
				msg = strings.ReplaceAll(msg, pkg+"/main.go", nb+" (assembled)")
			}
			t.Fatalf("the notebooks' Go does not compile:\n%s", msg)
		}
	}
}
