"""Helpers of the consumer tests: our test site built, served on loopback or copied; other projects built against it.

Every consumer project is written into a temporary folder, outside this
repository, and built by `python -m sphinx` in a fresh process whose
environment has no PYTHONPATH: it finds `glossweave` as any project would,
as an installed package.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).parents[1]
HERE = Path(__file__).parent
PREFIX = "/en/latest/"

#: The summaries our fixture dumps give these terms, written out by hand.
SUMMARIES = {
    "gpu": "GPU is a massively parallel processor - It runs training and inference for a large language model quickly.",
    "large-language-model": "Large Language Model is a neural network trained on text - It uses a GPU for training and has loss ℒ = -∑_i logp_i.",
    "top-k-5-sampling": "Top K 5 Sampling is sampling among the five most likely tokens - It is a decoding rule for a large language model.",
    "adaptive-kernel-915": "Adaptive Kernel 915 (also known as adaptive kernel 915 v2) is a made-up accelerator kernel with a number in its name - It runs on a GPU.",
    "multi-head-attention": "Multi-Head Attention is attention computed by several heads side by side - Each head of a Transformer block looks at the sequence in its own subspace.",
    "kv-cache": "KV Cache is the stored keys and values of earlier tokens - It lets a decoder skip recomputing attention for the prefix.",
}


def clean_env() -> dict[str, str]:
    """This process's environment without any path into the repository."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


#: The Python that builds the other projects: this one, or another Sphinx's (a venv with
#: Sphinx 8, say) to test the consumer across Sphinx versions against a site built here.
CONSUMER_PYTHON = os.environ.get("GLOSSWEAVE_CONSUMER_PYTHON", sys.executable)


def sphinx_build(src: Path, out: Path, *options: str, python: str = CONSUMER_PYTHON) -> subprocess.CompletedProcess:
    """`python -m sphinx -b html` as another project runs it, from its own folder."""
    command = [
        python,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-d",
        str(out.parent / (out.name + "-doctrees")),
        *options,
        str(src),
        str(out),
    ]
    return subprocess.run(command, cwd=src, env=clean_env(), capture_output=True, text=True, timeout=600, check=False)


def warnings_of(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stderr.splitlines() if "WARNING" in line]


def build_site(root: Path, edit: tuple[str, str] | None = None) -> Path:
    """Our small test site plus the consumer fixtures' dumps, with `edit` (old, new) made to the
    test site's dump; returns its HTML folder."""
    src = root / "site"
    shutil.copytree(TESTS / "roots" / "test-site", src)
    shutil.copy(HERE / "dump" / "001_numbered_names.txt", src / "corpus")
    for dump in sorted((HERE / "glossary").glob("*.txt")):
        shutil.copy(dump, src / "corpus")
    if edit:
        dump = src / "corpus" / "000_small.txt"
        dump.write_text(dump.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with (src / "conf.py").open("a") as conf:
        conf.write('\nproject = "Test Glossary"\nversion = release = "3.1"\n')
    out = root / "html"
    run = sphinx_build(src, out, "-q", "-W", "--keep-going", "-n", python=sys.executable)
    assert run.returncode == 0, run.stderr
    return out


def inventory_uris(inventory: Path, base: str) -> dict[str, str]:
    """name → full URI of every std:term and glossary:category, read from objects.inv without Sphinx."""
    raw = inventory.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = raw.index(b"\n", header_end) + 1
    found = {}
    for line in zlib.decompress(raw[header_end:]).decode().splitlines():
        name, _, rest = line.rpartition(" std:term ") if " std:term " in line else line.rpartition(" glossary:category ")
        if not name:
            continue
        location = rest.split(" ")[1]
        if location.endswith("$"):
            location = location[:-1] + name
        found[name] = base + location
    return found


@dataclass
class Server:
    """A loopback HTTP server for a site folder under PREFIX, recording what it was asked."""

    folder: Path
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)

    def __post_init__(self) -> None:
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def translate_path(self, path):
                server.requests.append((path, self.headers.get("User-Agent", "")))
                return super().translate_path("/" + path[len(PREFIX) :] if path.startswith(PREFIX) else "/__missing__")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(self.folder)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}{PREFIX}"

    def asked_for(self, name: str) -> list[str]:
        """The user agents of the requests for `name` under the prefix."""
        return [agent for path, agent in self.requests if path == PREFIX + name]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


BASE = "https://glossary.example.org/en/latest/"
#: The whole conf.py of the acceptance: the two extensions and the mapping, nothing else.
ACCEPTANCE_CONF = """\
extensions = ["sphinx.ext.intersphinx", "glossweave.consumer"]
intersphinx_mapping = {{"glossary": ({base!r}, {inventory!r})}}
"""


def local_copy(site: Path, folder: Path) -> Path:
    """objects.inv and the previews file, copied as a project keeps them for offline builds."""
    folder.mkdir(parents=True)
    for name in ("objects.inv", "glossary-previews.json"):
        shutil.copy(site / name, folder / name)
    return folder / "objects.inv"


def write_project(folder: Path, conf: str, pages: dict[str, str]) -> Path:
    """A new Sphinx project: conf.py and its pages; a root `index` gets a toctree of the others."""
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def free_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
