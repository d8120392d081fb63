"""How TeX runs on corpus text: no shell, no files outside the build folder, a time limit, no poisoned rerun.

The core's whitelist keeps file and shell commands out of the formulas; this
is the layer behind it, for TeX that gets through anyway.  Every TeX run of
ours (the book's, through the `latexmkrc` the book ships, and the formula
check of `glossweave.core.latexcheck`) runs

* with kpathsea's ``openin_any=p`` and ``openout_any=p``: no file is read or
  written by an absolute path, a parent path (``..``) or a dot file name;
* with shell escape off (``shell_escape=f`` and ``-no-shell-escape``), not
  TeX Live's restricted default, which still runs a list of programs;
* under a time limit: a looping macro (``\\def\\x{\\x}\\x``) is killed;
* so that a killed or failed run never poisons the next: a run that did not
  end well removes the auxiliary files it may have cut short (``.aux``, ``.toc``
  …), and a run that was killed from outside (its marker file is still there)
  has them removed by the next run before it starts.
"""

from __future__ import annotations

import os
from pathlib import Path

#: kpathsea's settings, as environment variables (which override texmf.cnf).
HARDENED_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: Seconds one TeX run may take before it is killed; the book's whole xelatex run
#: on the real corpus takes well under a tenth of this.
DEFAULT_TIME_LIMIT = 900
#: The environment variable that overrides `DEFAULT_TIME_LIMIT` (whole seconds).
TIME_LIMIT_VARIABLE = "GLOSSARY_LATEX_TIME_LIMIT"
#: Left in the build folder while a guarded run is going; found at the start of a run, it means the last one was killed.
PENDING = "glossweave-run.pending"
#: What a run cut short may leave half-written, which the next run would read back.
AUXILIARY = ("aux", "toc", "out", "lof", "lot", "idx", "ind", "ilg", "fls", "fdb_latexmk", "xdv")
#: Opens the block this module appends to a latexmkrc (so it is appended once).
GUARD_MARK = "# glossweave: corpus text is untrusted"


def time_limit() -> int:
    """The time limit of one TeX run: `TIME_LIMIT_VARIABLE` when set to a positive integer, else the default."""
    value = os.environ.get(TIME_LIMIT_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_TIME_LIMIT


def hardened_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (the process environment by default) with `HARDENED_ENV` on top."""
    return {**(os.environ if base is None else base), **HARDENED_ENV}


def remove_auxiliary(folder: Path) -> None:
    """Remove the auxiliary files of every document in `folder`, and the pending marker."""
    for suffix in AUXILIARY:
        for path in folder.glob(f"*.{suffix}"):
            path.unlink(missing_ok=True)
    (folder / PENDING).unlink(missing_ok=True)


def latexmkrc_guard(limit: int) -> str:
    """Perl for the end of a latexmkrc: every TeX command latexmk runs goes through the guard of this module."""
    variables = "".join(f"$ENV{{'{name}'}} = '{value}';\n" for name, value in HARDENED_ENV.items())
    leftovers = ", ".join(f"glob('*.{suffix}')" for suffix in AUXILIARY)
    return f"""
{GUARD_MARK}: no shell escape, no reading or writing outside
# this folder, {limit} s per TeX run, and a run cut short never poisons the next
# (glossweave.core.latexguard).
{variables}foreach my $engine (\\$latex, \\$pdflatex, \\$xelatex, \\$lualatex) {{
  $$engine = 'internal glossweave_guarded ' . $$engine unless $$engine =~ /^internal glossweave_guarded /;
}}
sub glossweave_forget {{
  unlink({leftovers});
}}
sub glossweave_guarded {{
  my ($engine, @arguments) = @_;
  glossweave_forget() if -e '{PENDING}';
  open(my $pending, '>', '{PENDING}'); close($pending);
  my $status = system('timeout', '--kill-after=10', '{limit}', $engine, '-no-shell-escape', @arguments);
  glossweave_forget() if $status != 0;
  unlink('{PENDING}');
  return $status;
}}
"""
