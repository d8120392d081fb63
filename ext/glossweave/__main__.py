"""`python -m glossweave`: the maintainers' command-line tool (see `glossweave.cli`)."""

from glossweave.cli import main

raise SystemExit(main())
