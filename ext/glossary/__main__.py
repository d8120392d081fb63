"""`python -m glossary`: the maintainers' command-line tool (see `glossary.cli`)."""

from glossary.cli import main

raise SystemExit(main())
