"""Builds the .ipynb files from the cell lists in notebooks/src/*.py (the notebooks' source).

Run `python3 notebooks/src/build.py` after editing a source, then execute the notebook
(`make notebooks-full`) so that the committed outputs match the code."""
import json

SETUP = r'''// Point GoNB's scratch module at this checkout of ganlab (the module that holds this notebook),
// so `import "github.com/ganlab/ganlab/..."` compiles the local code, not a download.
!*go mod edit -replace github.com/ganlab/ganlab="$(cd "$GONB_DIR" && go list -m -f '{{.Dir}}')" -require github.com/ganlab/ganlab@v0.0.0'''


def notebook(cells):
    out = {"cells": [], "metadata": {
        "kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
        "language_info": {"codemirror_mode": "", "file_extension": ".go", "mimetype": "text/x-go",
                          "name": "go", "nbconvert_exporter": "", "pygments_lexer": "", "version": "go1.27.3"}},
        "nbformat": 4, "nbformat_minor": 5}
    for i, cell in enumerate(cells):
        kind, src = cell[0], cell[1]
        tags = cell[2] if len(cell) > 2 else None
        c = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {},
             "source": src.strip("\n").splitlines(keepends=True)}
        if tags:
            c["metadata"]["tags"] = tags
        if kind == "code":
            c["outputs"], c["execution_count"] = [], None
        out["cells"].append(c)
    return out


def write(path, cells):
    with open(path, "w") as f:
        json.dump(notebook(cells), f, indent=1, ensure_ascii=False)
        f.write("\n")
