#!/usr/bin/env python3
"""Writes docs/figures/notebook-NN.png: the first image (PNG) each executed notebook shows (or the
one in the cell tagged "thumbnail"). The README shows them as thumbnails. `make thumbnails` runs it
after `make notebooks-full`."""
import base64, json, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
out_dir = os.path.join(root, "docs", "figures")
os.makedirs(out_dir, exist_ok=True)
status = 0
for name in sorted(os.listdir(os.path.join(root, "notebooks"))):
    if not name.endswith(".ipynb"):
        continue
    nb = json.load(open(os.path.join(root, "notebooks", name)))
    chosen = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tagged = "thumbnail" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            data = out.get("data", {}).get("image/png")
            if data and (chosen is None or tagged):
                chosen = data if isinstance(data, str) else "".join(data)
                if tagged:
                    break
        if tagged and chosen:
            break
    number = re.match(r"(\d+)", name).group(1)
    if chosen is None:
        print(f"thumbnails: {name} has no PNG output (run make notebooks-full)", file=sys.stderr)
        status = 1
        continue
    path = os.path.join(out_dir, f"notebook-{number}.png")
    open(path, "wb").write(base64.b64decode(chosen))
    print("wrote", os.path.relpath(path, root))
sys.exit(status)
