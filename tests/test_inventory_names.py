"""Names Sphinx's intersphinx loader drops are reported by `make check`, with the key that works."""

from __future__ import annotations

import pytest

from glossweave.core.inventory import lost_by_loader
from glossweave.core.pipeline import build_glossary


@pytest.mark.parametrize("name", ["top k 5 sampling", "adaptive kernel 915", "resnet block 50", "a b -3 c"])
def test_a_number_after_two_words_is_lost(name):
    assert lost_by_loader(name)


@pytest.mark.parametrize("name", ["l2", "llama 3", "gpt-4", "GPU", "top-k sampling", "x 5 y", "layer 2 norm", "5 nines"])
def test_other_names_survive(name):
    assert not lost_by_loader(name)


def test_check_reports_lost_names_and_their_keys(make_corpus):
    corpus = make_corpus(
        {
            "a.txt": "top k 5 sampling, decoding\n**Top K 5 Sampling** is **sampling among five tokens**.\n"
            "bk3s, block kernel 3 scan, kernels\n**BK3S** is **a scan over blocks of three**.\n"
            "gpu, graphics processing unit, hardware\n**GPU** is **a parallel processor**.\n"
        }
    )
    found = [d for d in build_glossary(corpus).report.diagnostics if d.code == "intersphinx-name"]
    assert [(str(d.source), d.message.split(" is dropped")[0], d.message.split("link it as ")[1]) for d in found] == [
        ("a.txt:3", "'block kernel 3 scan'", "'bk3s--block-kernel-3-scan'"),
        ("a.txt:1", "'Top K 5 Sampling'", "'top-k-5-sampling'"),
    ]
