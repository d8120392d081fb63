"""Where a project's previews file is and how it is fetched (glossweave.consumer.loading), without a build."""

from __future__ import annotations

from types import SimpleNamespace

from glossweave.consumer.loading import without_password, tls_verify_for, previews_location


def test_the_file_is_beside_the_inventory():
    assert previews_location("https://g.example/en/latest/", None) == "https://g.example/en/latest/glossary-previews.json"
    assert previews_location("https://g.example/en/latest", None) == "https://g.example/en/latest/glossary-previews.json"
    assert (
        previews_location("https://g.example/", "https://mirror.example/inv/objects.inv?v=3#x")
        == "https://mirror.example/inv/glossary-previews.json"
    )
    assert previews_location("https://g.example/", "_glossary/objects.inv") == "_glossary/glossary-previews.json"
    assert previews_location("https://g.example/", "/abs/copy/objects.inv") == "/abs/copy/glossary-previews.json"
    assert previews_location("../glossary/", None) == "../glossary/glossary-previews.json"  # a local site next to this one


def test_tls_settings_are_read_as_sphinx_reads_them():
    def config(verify, certs):
        return SimpleNamespace(tls_verify=verify, tls_cacerts=certs)

    assert tls_verify_for("https://g.example/x", config(False, "/ca.pem")) is False
    assert tls_verify_for("https://g.example/x", config(True, None)) is True
    assert tls_verify_for("https://g.example/x", config(True, "/ca.pem")) == "/ca.pem"
    per_host = config(True, {"g.example:8443": "/g.pem"})
    assert tls_verify_for("https://user:pw@g.example:8443/x", per_host) == "/g.pem"
    assert tls_verify_for("https://other.example/x", per_host) is True


def test_passwords_stay_out_of_warnings():
    assert (
        without_password("https://reader:s3cret@g.example/en/glossary-previews.json")
        == "https://reader@g.example/en/glossary-previews.json"
    )
    assert without_password("https://g.example/en/glossary-previews.json") == "https://g.example/en/glossary-previews.json"
    assert without_password("/local/glossary-previews.json") == "/local/glossary-previews.json"
