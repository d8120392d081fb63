"""Machine-readable exports of a built `Glossary` (JSON now; CSV, TBX and SKOS beside it)."""
