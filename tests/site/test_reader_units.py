"""The reader's pieces one by one (issue 13): the emitter's ownership of its folders, the
navigation payload, table widths, bibliography ids, the cover, the 404 links, sitemap dates."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from handmade import glossary, sense, term

from glossweave.site.bibstyle import restated_identifier
from glossweave.site.ebook import cover_svg, referenced_files
from glossweave.site.emit import GENERATED, LETTERS, MANIFEST, TERMS, emit_site, emitted_paths
from glossweave.site.latex import column_widths
from glossweave.site.notfound import absolute_uri
from glossweave.site.sitemap import file_dates, sitemap


def corpus():
    return glossary(
        term("zeta", "Zeta Loss", sense("training", "**Zeta Loss** is a loss.")),
        term("ab", "ab test", sense("evaluation", "**ab test** compares two variants.")),
        term("beta", "Beta Schedule", sense("training", "**Beta Schedule** sets beta.")),
        term("adam", "Adam", sense("training", "**Adam** is an optimizer.")),
        term("3d", "3D NAND", sense("memory", "**3D NAND** stacks cells.")),
    )


def payload(path: Path) -> dict:
    return json.loads(path.read_text())


# --- the emitter owns what it wrote, and nothing else -------------------------------------


def test_a_hand_written_file_next_to_generated_pages_is_never_touched(tmp_path):
    notes = tmp_path / TERMS / "reading-notes.md"
    notes.parent.mkdir(parents=True)
    notes.write_text("# Notes\n")
    emit_site(corpus(), tmp_path)
    result = emit_site(glossary(term("adam", "Adam", sense("training", "**Adam** is an optimizer."))), tmp_path)
    assert notes.read_text() == "# Notes\n"
    assert f"{TERMS}/reading-notes.md" not in emitted_paths(tmp_path)
    assert (tmp_path / TERMS / "zeta.term.json").exists() is False and tmp_path / TERMS / "zeta.term.json" in result.removed


def test_a_hand_written_file_where_a_page_would_go_is_kept_and_reported(tmp_path):
    mine = tmp_path / LETTERS / "a.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# A, by hand\n")
    result = emit_site(corpus(), tmp_path)
    assert mine.read_text() == "# A, by hand\n"
    assert result.kept == [mine]
    assert f"{LETTERS}/a.md" not in emitted_paths(tmp_path)
    assert emit_site(corpus(), tmp_path).kept == [mine]  # and every later emit says so again


def test_the_manifest_lists_every_page_and_a_lost_one_is_rebuilt_from_identical_pages(tmp_path):
    first = emit_site(corpus(), tmp_path)
    listed = emitted_paths(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in first.written) == listed
    assert f"{TERMS}/adam.term.json" in listed and f"{GENERATED}/landing.md" in listed
    (tmp_path / MANIFEST).unlink()
    again = emit_site(corpus(), tmp_path)
    assert again.kept == [] and again.written == [] and emitted_paths(tmp_path) == listed


# --- navigation in the payload ------------------------------------------------------


def test_neighbours_follow_the_letter_pages_order(tmp_path):
    emit_site(corpus(), tmp_path)
    nav = {slug: payload(tmp_path / TERMS / f"{slug}.term.json")["nav"] for slug in ["ab", "adam", "beta", "zeta", "3d"]}
    # A–Z by name (case-insensitive), then 0–9
    order = [(n["previous"] or {}).get("slug") for n in nav.values()], [(n["next"] or {}).get("slug") for n in nav.values()]
    assert order == ([None, "ab", "adam", "beta", "zeta"], ["adam", "beta", "zeta", "3d", None])
    assert nav["adam"]["previous"] == {"slug": "ab", "name": "ab test"}
    assert nav["beta"]["letter"] == "b" and nav["3d"]["letter"] == "0-9"
    assert nav["zeta"]["letters"] == ["a", "b", "z", "0-9"]


def test_the_payload_carries_the_summary_and_letter_pages_the_same_order(tmp_path):
    emit_site(corpus(), tmp_path)
    assert payload(tmp_path / TERMS / "adam.term.json")["summary"] == "Adam is an optimizer."
    text = (tmp_path / LETTERS / "a.md").read_text()
    assert text.index('"ab test"') < text.index('"Adam"')


def test_adding_a_term_rewrites_its_neighbours_but_not_the_rest(tmp_path):
    emit_site(corpus(), tmp_path)
    bigger = corpus()
    bigger.terms.append(term("alpha", "Alpha Decay", sense("training", "**Alpha Decay** decays.")))
    written = {p.relative_to(tmp_path).as_posix() for p in emit_site(bigger, tmp_path).written}
    assert {f"{TERMS}/alpha.term.json", f"{TERMS}/adam.term.json", f"{TERMS}/beta.term.json"} <= written
    assert f"{TERMS}/zeta.term.json" not in written and f"{TERMS}/ab.term.json" not in written


# --- the PDF's tables ----------------------------------------------------------------


def test_a_column_is_never_narrower_than_its_longest_word():
    first = ["Component", "Interconnect", "Scheduler"]
    second = ["a long explanation of what the component does in the system " * 2] * 3
    widths = column_widths([first, second], line=90)
    assert widths[0] >= 100 * len("Interconnect") / 90
    assert widths[0] + widths[1] <= 100 and widths[1] > widths[0]


def test_a_table_that_fits_on_one_line_stays_narrow_and_columns_that_cannot_fit_share_the_line():
    assert sum(column_widths([["a", "b"], ["cc", "d"]], line=90)) < 30
    crowded = column_widths([["x" * 30], ["y" * 30], ["z" * 30], ["w" * 30]], line=90)
    assert len(set(crowded)) == 1 and sum(crowded) <= 100


# --- the bibliography -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "restates"),
    [
        ("arXiv preprint arXiv:2104.04473", True),
        ("arXiv:2104.04473", True),
        ("https://doi.org/10.1/abc", True),
        ("SC21 workshop", False),
        ("Extended version of arXiv:2104.04473 with proofs", False),
        ("", False),
    ],
)
def test_a_field_is_dropped_only_when_it_merely_restates_an_id(text, restates):
    assert restated_identifier(text, ["2104.04473", "10.1/abc"]) is restates


# --- the ePub ----------------------------------------------------------------------


def test_the_cover_is_well_formed_and_escapes_its_text():
    svg = cover_svg("Tips & <Tricks> of a Very Long Glossary Title Indeed", "A & B")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert " ".join(texts[:-1]) == "Tips & <Tricks> of a Very Long Glossary Title Indeed" and texts[-1] == "A & B"
    sizes = [float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert max(len(t) for t in texts[:-1]) * 0.62 * sizes[0] <= 480


def test_referenced_files_follow_pages_and_style_sheets(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms/a.xhtml").write_text('<link href="../_static/site.css"/><img src="../_static/x.png"/>')
    (tmp_path / "_static/site.css").write_text('@import "base.css"; p { background: url(icon.png) }')
    (tmp_path / "_static/base.css").write_text("h1 { background: url('../_static/h.svg') }")
    assert referenced_files(tmp_path) >= {"_static/site.css", "_static/x.png", "_static/base.css", "_static/icon.png", "_static/h.svg"}
    assert "_static/unused.png" not in referenced_files(tmp_path)


# --- the 404 page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("index.html", "/en/latest/index.html"),
        ("terms/gpu.html#term-gpu", "/en/latest/terms/gpu.html#term-gpu"),
        ("#top", "#top"),
        ("https://example.org/", "https://example.org/"),
        ("/elsewhere.html", "/elsewhere.html"),
    ],
)
def test_links_of_the_404_page_become_absolute_under_the_prefix(uri, expected):
    assert absolute_uri(uri, "404", "/en/latest/") == expected


def test_a_nested_404_page_resolves_its_links_from_its_folder():
    assert absolute_uri("../index.html", "errors/404", "/") == "/index.html"


# --- sitemap dates ---------------------------------------------------------------


def git(repo: Path, *args: str, date: str = "2021-03-04T05:06:07Z") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_a_tracked_unchanged_file_is_dated_by_its_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    git(tmp_path, "init", "-q")
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(name)
    git(tmp_path, "add", "a.txt", "b.txt")
    git(tmp_path, "commit", "-q", "-m", "one")
    (tmp_path / "b.txt").write_text("edited, not committed")
    os.utime(tmp_path / "b.txt", (1_700_000_000, 1_700_000_000))
    os.utime(tmp_path / "c.txt", (1_600_000_000, 1_600_000_000))
    dates = file_dates([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"])
    assert dates == {(tmp_path / "a.txt").resolve(): 1614834367, (tmp_path / "b.txt").resolve(): 1_700_000_000, (tmp_path / "c.txt").resolve(): 1_600_000_000}


def test_source_date_epoch_caps_every_date(tmp_path, monkeypatch):
    (tmp_path / "new.txt").write_text("x")
    os.utime(tmp_path / "new.txt", (1_900_000_000, 1_900_000_000))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    assert file_dates([tmp_path / "new.txt"]) == {(tmp_path / "new.txt").resolve(): 1_500_000_000}


def test_the_sitemap_is_sorted_escaped_and_dated_in_utc():
    xml = sitemap({"https://e.org/b.html?x=1&y=2": 0, "https://e.org/a.html": 1614834367, "https://e.org/c.html": None})
    root = ElementTree.fromstring(xml)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [(u.findtext("s:loc", namespaces=ns), u.findtext("s:lastmod", namespaces=ns)) for u in root.findall("s:url", ns)] == [
        ("https://e.org/a.html", "2021-03-04T05:06:07Z"),
        ("https://e.org/b.html?x=1&y=2", "1970-01-01T00:00:00Z"),
        ("https://e.org/c.html", None),
    ]


# --- the ePub builder's hooks (glossweave.site.compat) --------------------------------------


def test_an_epub_builder_without_the_hooks_is_said_once(monkeypatch):
    from sphinx.builders.epub3 import Epub3Builder

    from glossweave.site import compat

    warned = []
    monkeypatch.setattr(compat, "_warned", set())
    monkeypatch.setattr(compat.logger, "warning", lambda *args, **kwargs: warned.append(args[0] % args[1:]))
    assert compat.epub_builder_hooks(Epub3Builder) and warned == []
    stripped = type("OldEpub3Builder", (), {"toc_metadata": None})
    assert not compat.epub_builder_hooks(stripped) and not compat.epub_builder_hooks(stripped)
    assert len(warned) == 1 and "Epub3Builder.build_navlist, Epub3Builder.coverpage_name" in warned[0]
