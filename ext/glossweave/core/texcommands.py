"""The TeX math vocabulary: every command MathJax knows, and the safe subset we let through.

Why a generated list: the corpus lost the backslashes of its formulas, so the
repair has to recognise `frac`, `mathcal` or `infty` as commands.  Driving that
from the few names seen in one dump would miss the next dump's `\\varpi` or
`\\binom`; reading MathJax's own parse tables (``gen_tex_commands.mjs`` writes
``data/tex_commands.txt``) makes the list complete *and* identical to what the
site renders.  Regenerate it after upgrading ``@mathjax/src``.

Why a whitelist: the same formulas go to MathJax (HTML) and to LaTeX (PDF).  In
LaTeX a formula is code: ``\\input``, ``\\write18``, ``\\catcode`` or ``\\def``
would read files or run commands.  So only commands of the MathJax packages we
enable (which LaTeX with amsmath/amssymb also knows) pass; everything else is
reported and shown as text by :mod:`glossweave.core.texmath`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "tex_commands.txt"

#: MathJax TeX packages the site enables.  The Sphinx layer configures MathJax
#: with exactly these, and the validator (texcheck) parses with them, so what
#: passes validation is what renders.  All three map onto LaTeX's amsmath and
#: amssymb, which Sphinx's LaTeX writer loads, so the PDF agrees too.
MATHJAX_TEX_PACKAGES: tuple[str, ...] = ("base", "ams", "boldsymbol")

#: Names that read or write files, run programs, or redefine TeX itself.  They
#: are never allowed, and finding one is an error (it can only be an attack or
#: a grave accident), not a warning.  Most are not MathJax commands at all;
#: the rest (``\\newcommand``, ``\\require``, ``\\href`` …) live in packages we
#: do not enable, and are listed so the diagnostic says *why*.
DANGEROUS: frozenset[str] = frozenset(
    """
    input include includeonly InputIfFileExists IfFileExists endinput scantokens
    openin openout read readline closein closeout write immediate special shipout
    catcode lccode uccode sfcode mathcode delcode
    def edef gdef xdef let futurelet global long outer csname endcsname
    expandafter noexpand afterassignment aftergroup everymath everydisplay
    everypar everyhbox everyvbox everyjob everyeof
    newcommand renewcommand providecommand DeclareRobustCommand
    newenvironment renewenvironment DeclareMathOperator newcolumntype
    usepackage RequirePackage documentclass directlua latelua luaexec
    pdfshellescape ShellEscape jobname
    require href url unicode class cssId style data mmlToken texttip toggle
    mathtip bbox color colorbox begingroup endgroup
    """.split()
)

#: Commands of the enabled packages that we still refuse: MathJax-only names a
#: LaTeX run without extra packages does not know (the PDF build would fail),
#: and commands with side effects on numbering, labels or layout outside the
#: formula.  They are reported as warnings and shown as text.
NOT_PORTABLE: frozenset[str] = frozenset(
    """
    Rule Space breakAlign hsize mit oldstyle Bbb bbFont
    label ref eqref tag notag nonumber shoveleft shoveright
    displaylines eqalign eqalignno leqalignno iddots hdashline
    overparen underparen overunderset mathscr oiint oiiint
    mathsfit mathsfup mathup
    AA TeX LaTeX
    """.split()
)
_NOT_PORTABLE_PREFIXES = ("sym", "mathbf")  # unicode-math names; \\mathbf itself stays

#: Environments valid *inside* a formula.  Display-level ones (equation,
#: align, gather …) are refused: Sphinx wraps each formula in its own display
#: environment, and nesting them breaks the LaTeX build.
MATH_ENVIRONMENTS: frozenset[str] = frozenset(
    """
    array matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix
    cases aligned alignedat gathered split subarray
    """.split()
)

#: TeX control symbols (backslash + one non-letter) that are safe everywhere:
#: spacing, escaped specials, the line break of matrices.
CONTROL_SYMBOLS: frozenset[str] = frozenset(",:;!> {}|\\#$%&_")


@dataclass(frozen=True)
class Command:
    """One math command: its name, the packages defining it, and its parse kind.

    `kind` is MathJax's parse method ("symbol" for character tables), which
    says whether the command takes an argument ("Frac", "Accent", "MathFont")
    or names an operator ("NamedFn" for \\log, "NamedOp" for \\max).
    """

    name: str
    packages: frozenset[str]
    kind: str


def _load() -> tuple[dict[str, Command], frozenset[str]]:
    packages: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    environments: set[str] = set()
    for row in DATA_FILE.read_text(encoding="utf-8").splitlines():
        package, kind, name = row.split("\t")
        if kind == "environment":
            environments.add(name)
            continue
        packages.setdefault(name, set()).add(package)
        # A name in several packages keeps the kind of an enabled package.
        if name not in kinds or package in MATHJAX_TEX_PACKAGES:
            kinds[name] = kind
    commands = {name: Command(name, frozenset(pkgs), kinds[name]) for name, pkgs in packages.items()}
    return commands, frozenset(environments)


#: Every letter command any MathJax TeX package defines, by name.
ALL_COMMANDS, ALL_ENVIRONMENTS = _load()


def _is_whitelisted(command: Command) -> bool:
    return (
        not command.packages.isdisjoint(MATHJAX_TEX_PACKAGES)
        and command.name not in DANGEROUS
        and command.name not in NOT_PORTABLE
        and not (command.name.startswith(_NOT_PORTABLE_PREFIXES) and command.name != "mathbf")
    )


#: The letter commands that may reach MathJax and LaTeX.
WHITELIST: dict[str, Command] = {name: cmd for name, cmd in ALL_COMMANDS.items() if _is_whitelisted(cmd)}
