"""The corpus pipeline: read → normalize → merge → link.  Plain Python, never imports Sphinx."""
