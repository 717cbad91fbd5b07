#!/usr/bin/env python3
"""Small notebook checks for the setup scripts (standard library only).

  nbtool.py run NOTEBOOK OUT [TIMEOUT]
                                    execute NOTEBOOK with the GoNB kernel (kernel
                                    started in the notebook's directory, TIMEOUT
                                    seconds per cell, default 3600), stopping at the
                                    first failing cell; OUT is written either way;
                                    on failure the failing cell's outputs are printed
                                    as text on stdout and the exit status is 3 (the
                                    kernel's own log goes to stderr)
  nbtool.py check NOTEBOOK          exit 1 unless the notebook has outputs, no
                                    error output and at least one image/png
  nbtool.py extract NOTEBOOK DIR    write every image/png output to DIR/NN.png
                                    (01, 02, ... in output order; DIR is emptied
                                    of old NN.png files first)
"""
import base64
import html
import json
import os
import re
import sys
import time


def outputs(nb):
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            yield out


def pngs(nb):
    for out in outputs(nb):
        data = out.get("data") or {}
        png = data.get("image/png")
        if png is None:
            continue
        if isinstance(png, list):
            png = "".join(png)
        yield base64.b64decode(png)


def check(path):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    problems = []
    for out in outputs(nb):
        if out.get("output_type") == "error":
            problems.append("error output: %s: %s" % (out.get("ename"), out.get("evalue")))
    n = sum(1 for _ in pngs(nb))
    if n == 0:
        problems.append("no image/png output")
    for p in problems:
        print("%s: %s" % (path, p), file=sys.stderr)
    if not problems:
        print("%s: ok (%d PNG)" % (path, n))
    return 1 if problems else 0


def extract(path, outdir):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        if re.fullmatch(r"\d+\.png", name):
            os.remove(os.path.join(outdir, name))
    n = 0
    for n, png in enumerate(pngs(nb), start=1):
        with open(os.path.join(outdir, "%02d.png" % n), "wb") as f:
            f.write(png)
    print("%s: %d PNG -> %s" % (path, n, outdir))
    return 0


def as_text(out):
    """Plain-text rendering of one output (streams, errors, HTML stripped of markup)."""
    kind = out.get("output_type")
    if kind == "stream":
        t = out.get("text", "")
        return "".join(t) if isinstance(t, list) else t
    if kind == "error":
        return "%s: %s\n" % (out.get("ename"), out.get("evalue"))
    data = out.get("data") or {}
    for mime in ("text/plain", "text/markdown"):
        if mime in data:
            t = data[mime]
            return "".join(t) if isinstance(t, list) else t
    if "text/html" in data:
        t = data["text/html"]
        t = "".join(t) if isinstance(t, list) else t
        t = re.sub(r"(?s)<style.*?</style>", "", t)
        t = re.sub(r"(?s)<[^>]+>", "", t)
        t = re.sub(r"\n\s*\n+", "\n", html.unescape(t))
        return t.strip() + "\n"
    if "image/png" in data:
        return "[image/png]\n"
    return ""


def run(path, out, timeout):
    try:
        import nbformat
    except ImportError:
        # nbformat/nbclient come from Debian packages: use the system Python
        # when another python3 (pyenv, venv) comes first on PATH.
        if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and os.path.exists("/usr/bin/python3"):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        raise
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=300,
        kernel_name="gonb",
        record_timing=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    failure = None
    t0 = time.time()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        failure = e
    except Exception as e:  # kernel died, could not start, ...
        failure = e
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    nbformat.write(nb, out)
    if failure is None:
        return 0
    print("%s: FAILED after %.0fs: %s" % (path, time.time() - t0, str(failure).strip().splitlines()[-1] if str(failure).strip() else type(failure).__name__))
    # Show the failing cell: the last code cell with an error output, else the last executed one.
    cells = [c for c in nb.cells if c.get("cell_type") == "code"]
    bad = None
    for c in cells:
        if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            bad = c
    if bad is None:
        executed = [c for c in cells if c.get("outputs") or c.get("execution_count")]
        bad = executed[-1] if executed else None
    if bad is not None:
        print("--- failing cell ---")
        print(bad.get("source", ""))
        print("--- its output ---")
        for o in bad.get("outputs", []):
            sys.stdout.write(as_text(o))
        print("---")
    return 3


def main(argv):
    if len(argv) in (4, 5) and argv[1] == "run":
        return run(argv[2], argv[3], int(argv[4]) if len(argv) == 5 else 3600)
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 4 and argv[1] == "extract":
        return extract(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
