"""The site's MathJax as a defence of its own (issue 10 §2): hostile TeX fed straight to it.

The core's whitelist is switched off here: the formulas go into the page as
they are, the way a bypass of the whitelist would deliver them.  The page is
what Sphinx's mathjax extension writes (`window.MathJax = <config>` before the
script), with the config of `glossweave.site.math` and MathJax copied as the
build copies it, served over HTTP.  Each layer is tried alone: the package list
with safe mode off, safe mode with the dangerous package switched back on, and
the macro limit with `newcommand` switched back on.
"""

from __future__ import annotations

import copy
import functools
import http.server
import json
import threading
from html import escape
from pathlib import Path

import pytest

from glossweave.site.math import copy_mathjax, mathjax_config

pytestmark = [pytest.mark.slow, pytest.mark.needs("browser")]

NODE_MODULES = Path(__file__).parents[2] / "node_modules"
#: What a bypassed formula would try on the page; each names its marker so the test can look for it.
ATTACKS = [
    r"\href{javascript:document.title='PWNED'}{click}",
    r"\style{position:fixed;top:0;left:0;width:100vw;height:100vh}{\href{javascript:document.title='PWNED'}{x}}",
    r"\class{pwned-class}{x}",
    r"\cssId{pwned-id}{x}",
    r"\bbox[border:9px solid red;position:fixed]{x}",
    r"\require{html}\href{javascript:document.title='PWNED'}{y}",
    r"\unicode{x263A}",
]


def _without_safe_mode(config: dict) -> dict:
    config = copy.deepcopy(config)
    config["loader"]["load"].remove("ui/safe")
    del config["options"]["safeOptions"]
    return config


def _with_packages(config: dict, *packages: str, extension: bool = True) -> dict:
    """The config with MathJax packages switched back on (from their extension file unless built in)."""
    config = copy.deepcopy(config)
    packages_ = config["tex"]["packages"]
    packages_["[-]"] = [name for name in packages_["[-]"] if name not in packages]
    packages_["[+]"] += list(packages)
    if extension:
        config["loader"]["load"] += [f"[tex]/{name}" for name in packages]
    return config


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A folder served over HTTP with MathJax in `_static/`, and a function writing a page into it."""
    if not (NODE_MODULES / "mathjax").is_dir():
        pytest.skip("no node_modules/mathjax (make setup)")
    root = tmp_path_factory.mktemp("mathsafe")
    copy_mathjax(NODE_MODULES, root / "_static")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def page(name: str, config: dict, formulas: list[str]) -> str:
        body = "".join(f'<p id="f{i}">\\({escape(tex)}\\)</p>' for i, tex in enumerate(formulas))
        (root / f"{name}.html").write_text(
            f"<!DOCTYPE html><html><head><title>math</title><script>window.MathJax = {json.dumps(config)}</script>"
            f'<script defer src="_static/mathjax/tex-chtml.js"></script></head><body>{body}</body></html>',
            encoding="utf-8",
        )
        return f"http://127.0.0.1:{server.server_port}/{name}.html"

    yield page
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _typeset(browser, url: str) -> dict:
    """Load `url`, wait for MathJax, and return what the math put on the page."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(url)
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise")
        found = page.evaluate(
            """() => {
                const math = [...document.querySelectorAll('mjx-container')];
                const inside = math.flatMap((m) => [m, ...m.querySelectorAll('*')]);
                return {
                    containers: math.length,
                    // MathJax 4 keeps a link's target in data-mjx-href and follows it on a click
                    links: inside.flatMap((e) => ['href', 'data-mjx-href'].filter((a) => e.hasAttribute(a)).map((a) => e.getAttribute(a))),
                    styles: inside.filter((e) => e.hasAttribute('style')).map((e) => e.getAttribute('style')),
                    fixed: inside.filter((e) => getComputedStyle(e).position === 'fixed').length,
                    classes: inside.flatMap((e) => [...e.classList]).filter((c) => c.startsWith('pwned')),
                    ids: inside.map((e) => e.id).filter((id) => id.startsWith('pwned')),
                    errors: [...document.querySelectorAll('mjx-merror')].map((e) => e.getAttribute('data-mjx-error') || e.textContent),
                    text: math.map((m) => m.textContent),
                };
            }"""
        )
        found["title"] = page.title()
        found["dialogs"] = dialogs
        return found
    finally:
        context.close()


def _assert_inert(found: dict) -> None:
    assert found["containers"] == len(ATTACKS), found
    assert found["links"] == [], found
    assert not [style for style in found["styles"] if "fixed" in style or "100vw" in style or "border" in style], found
    assert found["fixed"] == 0 and found["classes"] == [] and found["ids"] == [], found
    assert found["title"] == "math" and found["dialogs"] == [], found


def test_the_site_config_leaves_every_attack_inert(browser, served):
    _assert_inert(_typeset(browser, served("site", mathjax_config(NODE_MODULES), ATTACKS)))


def test_without_safe_mode_the_package_list_alone_defines_none_of_the_commands(browser, served):
    found = _typeset(browser, served("packages", _without_safe_mode(mathjax_config(NODE_MODULES)), ATTACKS))
    _assert_inert(found)


def test_safe_mode_alone_strips_links_styles_classes_and_ids_the_packages_make(browser, served):
    unsafe_packages = _with_packages(mathjax_config(NODE_MODULES), "html", "bbox", "unicode")
    _assert_inert(_typeset(browser, served("safe", unsafe_packages, ATTACKS)))
    # the same packages without safe mode: the attacks are live (so the assertions above can fail)
    live = _typeset(browser, served("live", _without_safe_mode(unsafe_packages), ATTACKS))
    assert any(link.startswith("javascript:") for link in live["links"]) and live["fixed"] > 0, live
    assert "pwned-class" in live["classes"] and "pwned-id" in live["ids"]


def test_the_macro_limit_stops_an_endless_macro_even_with_newcommand_back_on(browser, served):
    config = _with_packages(mathjax_config(NODE_MODULES), "newcommand", extension=False)
    found = _typeset(browser, served("macros", config, [r"\def\x{\x}\x", r"\def\y{\y\y}\y", r"\frac{a}{b}"]))
    assert found["containers"] == 3
    assert len(found["errors"]) == 2 and all("macro" in error.lower() for error in found["errors"]), found
