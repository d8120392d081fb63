"""Term previews: the one-line summary of a term, shown on hover and keyboard focus.

The summary is put on each resolved term link at build time (as the link's
`title`, plus a `glossary-preview` class), by a post-transform that runs after
references are resolved.  It reads only the anchor a link points to, so it
works for auto-links and hand-written `{term}` references alike, under -j,
offline, with no server or third-party service.  Links in the name — summary
lists of letter and category pages get none: the summary is printed beside
them.  The package's `glossweave/static/glossary-previews.js` turns the title
into an accessible tooltip; other projects' links to our terms get the same
files (`glossweave.consumer`), and the same summaries, from the previews file
`glossweave.site.previews_file` publishes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from glossweave.assets import setup_preview_assets
from glossweave.site.generate import state
from glossweave.site.terms import SUMMARY_SHOWN


class AddPreviews(SphinxPostTransform):
    default_priority = 20  # after ReferencesResolver (10)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        site = state(self.env)
        if site is None:
            return
        for ref in self.document.findall(nodes.reference):
            if any(SUMMARY_SHOWN in child.get("classes", ()) for child in ref.children if isinstance(child, nodes.Element)):
                continue  # the summary is printed beside the link already
            anchor = ref.get("refid") or ref.get("refuri", "").partition("#")[2]
            summary = site.summaries.get(anchor)
            if summary:
                ref["reftitle"] = summary
                ref["classes"].append("glossary-preview")


def setup_previews(app: Sphinx) -> None:
    app.add_post_transform(AddPreviews)
    setup_preview_assets(app)
