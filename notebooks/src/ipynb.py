"""Builds the .ipynb files from the cell lists in notebooks/src/*.py (the notebooks' source).

Run `python3 notebooks/src/build.py` after editing a source, then execute the notebook
(`make notebooks-full`) so that the committed outputs match the code. `build.py --check` fails
when a committed notebook's cells differ from its source (make test runs it)."""
import json

SETUP = r'''// Point GoNB's scratch module at this checkout of ganlab (the module that holds this notebook),
// so `import "github.com/ganlab/ganlab/..."` compiles the local code, not a download.
// The first cell that imports ganlab compiles it and GoMLX: about 4 min on 2 cores with a cold Go
// build cache, seconds afterwards (the Docker image has them prebuilt).
!*go mod edit -replace github.com/ganlab/ganlab="$(cd "$GONB_DIR" && go list -m -f '{{.Dir}}')" -require github.com/ganlab/ganlab@v0.0.0'''

# QUICK is the one definition of quick(), appended to the import cell of each notebook that
# trains: GANLAB_QUICK=1 (the notebook test) shortens every run.
QUICK = r'''
// quick shortens training when GANLAB_QUICK is set (notebook tests).
func quick(full, short int) int {
	if os.Getenv("GANLAB_QUICK") != "" {
		return short
	}
	return full
}
'''


def cells_of(cells):
    """The notebook's cells without outputs, as nbformat 4 dictionaries."""
    out = []
    for i, cell in enumerate(cells):
        kind, src = cell[0], cell[1]
        tags = cell[2] if len(cell) > 2 else None
        c = {"cell_type": kind, "id": f"cell-{i:02d}", "metadata": {},
             "source": src.strip("\n").splitlines(keepends=True)}
        if tags:
            c["metadata"]["tags"] = tags
        if kind == "code":
            c["outputs"], c["execution_count"] = [], None
        out.append(c)
    return out


def notebook(cells):
    return {"cells": cells_of(cells), "metadata": {
        "kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
        "language_info": {"codemirror_mode": "", "file_extension": ".go", "mimetype": "text/x-go",
                          "name": "go", "nbconvert_exporter": "", "pygments_lexer": "", "version": "go1.27.3"}},
        "nbformat": 4, "nbformat_minor": 5}


def differences(path, cells):
    """How the committed notebook at path differs from its source (cell kinds, sources, tags)."""
    try:
        committed = json.load(open(path))["cells"]
    except (OSError, ValueError, KeyError) as e:
        return [f"{path}: {e}"]
    want = cells_of(cells)
    if len(committed) != len(want):
        return [f"{path}: {len(committed)} cells, its source has {len(want)}"]
    out = []
    for i, (c, w) in enumerate(zip(committed, want)):
        for key in ("cell_type", "source"):
            if c.get(key) != w[key]:
                out.append(f"{path}: cell {i}: its {key} differs from the source")
        if c.get("metadata", {}).get("tags") != w["metadata"].get("tags"):
            out.append(f"{path}: cell {i}: its tags differ from the source")
    return out


def write(path, cells):
    """Writes the notebook. A cell at the same position with the same kind in the file already
    there keeps everything but its source and tags (outputs, execution metadata): rerun the
    notebook after changing what a cell computes."""
    nb = notebook(cells)
    try:
        existing = json.load(open(path))
        old = existing["cells"]
    except (OSError, ValueError, KeyError):
        existing, old = None, []
    if len(old) == len(nb["cells"]):
        merged = []
        for c, o in zip(nb["cells"], old):
            if c["cell_type"] == o.get("cell_type"):
                o = dict(o)
                o["source"] = c["source"]
                meta = dict(o.get("metadata", {}))
                meta.pop("tags", None)
                if "tags" in c["metadata"]:
                    meta["tags"] = c["metadata"]["tags"]
                o["metadata"] = meta
                c = o
            merged.append(c)
        nb["cells"] = merged
        if existing is not None:
            nb["metadata"] = existing.get("metadata", nb["metadata"])
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
