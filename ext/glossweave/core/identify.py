"""Identify stage: what each entry IS — its name, its other names, its category, its keywords.

Headers in the corpus are often search-keyword lists, not `term, alias,
category`, so the body decides:

* **Name.**  The body's opening bold phrase (`**Large Language Model
  Pre-training** is …`), article dropped, corpus capitals, hyphens and
  parentheses kept, math as readable text (`**$L_\\infty$ Attacks**` → `L∞
  Attacks`).  Without one, the longest run of leading header parts that the
  first line writes (`KV cache stores …`, or a title split at every space),
  as the body writes it; failing that the header term, its words cased as the
  corpus writes them elsewhere (`llm` → `LLM`), never an acronym lower-cased.
* **Header parts**, each with a `Reason`: the last part of a spaced header is
  the category, as is a compact header's last part when the corpus uses it as
  one (`glossweave.core.categories`).  A part is an *alias* only when it is
  another name of the same concept: initials ↔ expansion, a spelling, hyphen,
  plural or shortened variant of the name, or one half of an `X (Y)` name.
  The body adds aliases it gives itself: `**X** (Y)` in the first sentence,
  and names after "also called", "also known as", "or simply", "abbreviated".
  The parts of a title split at every space are the name.  Everything else is
  a *keyword*: searched and exported, never a name.

Everything here is per entry and linear in its text; the corpus-wide part is
one pass that learns how the corpus capitalises words.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pylatexenc.latex2text import LatexNodes2Text

from glossweave.core.categories import CategoryFiling
from glossweave.core.model import Block, Decision, Entry, Header, Identity, NameSource, Reason, Role

#: A bold phrase longer than this, or ending in `?`/`:`, is a heading or a sentence, not a name.
MAX_NAME_WORDS = 12
_NOT_NAMES = {"definition", "overview", "summary", "introduction", "note", "background", "key idea", "key ideas", "tl;dr"}
#: A leading article, not a letter that starts a name (`A B testing`).
_ARTICLE = re.compile(r"^(a|an|the)\s+(?=[^\W\d_]{2})", re.I)
_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset("a an and as at by for from in into of on or the to via vs with".split())
_TEX_TO_TEXT = LatexNodes2Text(math_mode="text")

# --- names as readable text and as comparison keys -----------------------------------

#: Symbols a name may hold, spelled in ASCII for comparisons and slugs (`L∞` ~ `l-infinity`).
_SYMBOL_WORDS = {"∞": "infinity", "∂": "partial", "∇": "nabla", "√": "sqrt", "±": "plus-minus", "∑": "sum", "∫": "integral"}
_SUPERSCRIPTS = str.maketrans("0123456789+-n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ")


@functools.lru_cache(maxsize=4096)
def readable_math(tex: str) -> str:
    """A formula as readable plain text: `L_\\infty` → `L∞`, `L_2` → `L2`, `x^2` → `x²`.

    A short subscript is written after its base, as people write `L2` and
    `L∞`; a superscript of digits becomes superscript digits.
    """
    text = _TEX_TO_TEXT.latex_to_text(tex).strip()
    text = re.sub(r"_\{?([^\s{}_^]{1,3})\}?", r"\1", text)
    text = re.sub(r"\^\{?([0-9+\-n]{1,3})\}?", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    return text


@functools.lru_cache(maxsize=65536)
def spell_symbols(name: str) -> str:
    """`name` with math symbols spelled in ASCII words (`L∞ Attacks` → `L-infinity Attacks`), for slugs and keys."""
    if name.isascii():
        return name
    out = []
    for index, char in enumerate(name):
        word = _SYMBOL_WORDS.get(char)
        if word is None:
            out.append(unicodedata.normalize("NFKD", char) if unicodedata.category(char) == "No" else char)
            continue
        before = name[index - 1] if index else " "
        after = name[index + 1] if index + 1 < len(name) else " "
        out.append(("-" if before.isalnum() else "") + word + ("-" if after.isalnum() else ""))
    return "".join(out)


def singular(word: str) -> str:
    """A lower-case word without its plural ending: `networks`, `searches`, `classes`, `LNNs`, `policies`."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


#: Punctuation that tells names apart (`C++` is not `C`, `F#` is not `F`).
_SPELLED_PUNCTUATION = str.maketrans({"+": " plus ", "#": " sharp "})


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Names compare equal up to case, spaces, hyphens, punctuation, a leading article and plurals."""
    spelled = spell_symbols(_ARTICLE.sub("", text.strip())).translate(_SPELLED_PUNCTUATION)
    words = _WORD.findall(spelled.casefold())
    return "".join(singular(word) for word in words)


def spelling(text: str) -> str:
    """A name as written, up to case and spacing: variants of one name differ here, not in `name_key`."""
    return " ".join(text.casefold().split())


def words_of(text: str) -> list[str]:
    """Case-folded content words, singular, stop words left out."""
    return [singular(word) for word in _WORD.findall(spell_symbols(text).casefold()) if word not in _STOPWORDS]


@functools.lru_cache(maxsize=65536)
def split_halves(name: str) -> tuple[str, list[str]]:
    """`Label Propagation (LPA)` → (`Label Propagation`, [`LPA`]); `X (A — B)` gives both A and B."""
    match = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name.strip())
    if not match:
        return name.strip(), []
    inner = [part.strip() for part in re.split(r"\s+[—–-]\s+|;\s*", match.group(2)) if part.strip()]
    return match.group(1).strip(), inner


# --- abbreviations ------------------------------------------------------------------


def _compact(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


#: Combining prefixes that technical English writes solid or hyphenated alike
#: (`ultraviolet`, `pre-training`); an acronym may take a letter from either part (EUV).
_COMBINING_PREFIX = re.compile(
    r"(ultra|infra|micro|nano|multi|hyper|super|inter|intra|trans|poly|photo|electro|thermo|semi|opto|auto|pre|post|sub)"
    r"(?=[a-z]{3})",
    re.IGNORECASE,
)


def _combining_split(word: str) -> list[str]:
    """`Ultraviolet` → [`Ultra`, `violet`]: a solid compound read as its hyphenated spelling."""
    match = _COMBINING_PREFIX.match(word)
    return [word[: match.end()], word[match.end() :]] if match else [word]


def abbreviates(short: str, phrase: str) -> bool:
    """Is `short` (one token: `LGA`, `LoRA`, `LA-ICP-MS`, `LNNs`) the initials of `phrase`?

    Each word of `phrase` gives the next letters: its first one or two, or all
    of it when it is short or written in capitals (`ICP`).  Stop words and the
    later parts of a hyphenated word (`Layer-wise`) may give none.
    """
    if " " in short.strip():
        return False
    letters = _compact(short)
    words: list[tuple[str, bool, bool]] = []  # (word, may give nothing, may give all of itself)
    written = 0  # the words as written: a solid compound alone is not a phrase (`MP` is not `microprocessor`)
    for token in phrase.split():
        written += sum(1 for part in re.split(r"[-/]", token) if _WORD.search(part))
        parts = [piece for part in re.split(r"[-/]", token) if _WORD.search(part) for piece in _combining_split(part)]
        for index, part in enumerate(parts):
            word = _compact(part)
            words.append((word, index > 0 or word in _STOPWORDS, len(word) <= 3 or (part.isupper() and len(part) > 1)))
    if len(letters) < 2 or written < 2 or not any(c.isalpha() for c in letters):
        return False
    candidates = [letters] + ([letters[:-1]] if letters.endswith("s") and len(letters) > 2 else [])
    return any(_spells(candidate, tuple(words)) for candidate in candidates)


@functools.lru_cache(maxsize=8192)
def _spells(letters: str, words: tuple[tuple[str, bool, bool], ...]) -> bool:
    reachable = {0}  # positions in `letters` reachable after the words so far
    for word, optional, whole in words:
        longest = len(word) if whole else min(2, len(word))
        after = {i + k for i in reachable for k in range(1, longest + 1) if letters.startswith(word[:k], i)}
        reachable = after | reachable if optional else after
        if not reachable:
            return False
    return len(letters) in reachable and letters[0] == words[0][0][0]


def shortens(short: str, phrase: str) -> bool:
    """Is `short` the phrase with some of its words shortened?  Word by word, each word of `short` is

    the phrase's next word, a contraction of it (`attn` for `attention`), the initials
    of the next few words or of a hyphenated word (`KV cache` for `key-value cache`,
    `LLM pretraining` for `large language model pretraining`), or their prefixes run
    together (`batchnorm` for `batch normalization`).  At least one word must differ.
    """
    a, b = short.casefold().split(), phrase.casefold().split()
    if a == b or not a or len(a) > len(b):
        return False
    reachable = {(0, 0)}
    for i, word in enumerate(a):
        reachable = {(i + 1, end) for start in {j for k, j in reachable if k == i} for end in _word_spans(word, b, start)}
        if not reachable:
            return False
    return (len(a), len(b)) in reachable


def _word_spans(word: str, words: list[str], start: int) -> set[int]:
    """Where the phrase's words can end if `word` stands for words[start:end]."""
    ends = set()
    if start < len(words):
        long = words[start]
        if singular(word) == singular(long) or (len(word) >= 2 and word[0] == long[0] and len(word) < len(long) and _subsequence(word, long)):
            ends.add(start + 1)
    for end in range(start + 1, min(len(words), start + 6) + 1):
        run = " ".join(words[start:end])
        if (end - start >= 2 or re.search(r"\w[-/]\w", run)) and (abbreviates(word, run) or _runs_together(word, words[start:end])):
            ends.add(end)
    return ends


def _runs_together(token: str, run: list[str]) -> bool:
    """`batchnorm`, `convnet`: prefixes of at least three letters of each word of `run`, joined."""
    letters = _compact(token)
    if len(letters) < 5 or len(run) < 2:
        return False
    positions = {0}
    for word in (_compact(w) for w in run):
        positions = {p + k for p in positions for k in range(min(3, len(word)), len(word) + 1) if letters.startswith(word[:k], p)}
        if not positions:
            return False
    return len(letters) in positions


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


# --- the opening bold phrase --------------------------------------------------------

# The site renders with this configuration (`glossweave.site.safety`); names are read with it too.
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False})
_MD.enable(["table", "strikethrough"])
_MD.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=True, double_inline=True)

#: `**text**` at the start of a line, where `text` holds no character that can open inline
#: Markdown.  Such a line renders as that strong text in any case (a property test checks
#: this against markdown-it), so most names need no parse.
_PLAIN_BOLD = re.compile(r"\*\*([^\s*_`$\\\[\]<>&!~](?:[^*_`$\\\[\]<>&!~\n]*[^\s*_`$\\\[\]<>&!~])?)\*\*(?!\*)")


def _is_punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char)[0] in "PS"


def opening_bold(line: str) -> tuple[str, int] | None:
    """The text of the strong emphasis that opens `line` (math as readable text), and where it ends."""
    if not line.startswith("**"):
        return None
    plain = _PLAIN_BOLD.match(line)
    if plain:
        end = plain.end()
        closes = not _is_punctuation(plain.group(1)[-1]) or end == len(line) or line[end].isspace() or _is_punctuation(line[end])
        if closes:
            return plain.group(1), end
    return _parsed_bold(line)


def _parsed_bold(line: str) -> tuple[str, int] | None:
    """`opening_bold` by markdown-it, for lines whose bold holds markup (math, code, escapes)."""
    children = _MD.parseInline(line)[0].children or []
    if len(children) < 3 or children[0].type != "text" or children[0].content or children[1].type != "strong_open":
        return None
    pieces: list[str] = []
    for token in children[2:]:
        if token.type == "strong_close":
            return "".join(pieces).strip(), _end_of_bold(line)
        if token.type == "math_inline":
            pieces.append(readable_math(token.content))
        elif token.type in ("text", "code_inline"):
            pieces.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return None


def _end_of_bold(line: str) -> int:
    """Where the opening bold ends in the source line: its closing `**` outside math and code."""
    position, math = 2, False
    while position < len(line):
        if line[position] == "\\":
            position += 2
            continue
        if line[position] == "$":
            math = not math
        elif not math and line.startswith("**", position):
            return position + 2
        position += 1
    return len(line)


def _as_name(bold: str, header: Header) -> str | None:
    """The bold phrase as a name: article dropped (unless the header keeps it); None if it is no name."""
    text = bold.strip().rstrip(" —–-,")
    article = _ARTICLE.match(text)
    if article and not header.term.casefold().startswith(article.group(0).casefold()):
        text = text[article.end() :]
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or text.endswith(("?", ":")) or text.casefold() in _NOT_NAMES:
        return None
    return text


def name_from_body(header: Header, first_line: str) -> tuple[str, NameSource]:
    """The entry's name and where it came from (see the module docstring)."""
    bold = opening_bold(first_line.strip())
    if bold:
        name = _as_name(bold[0], header)
        if name:
            return name, NameSource.BOLD
    for count in range(len(header.parts), 0, -1):
        found = find_phrase(" ".join(header.parts[:count]), first_line)
        if found:
            return found, NameSource.BODY
    return header.term, NameSource.HEADER


#: Markup that may stand inside a phrase as the body writes it.
_MARKUP = re.compile(r"\*\*|__|`")
#: İ ı ſ K: the only non-ASCII characters that `re.I` matches to ASCII letters.
_FOLDS_ONTO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def find_phrase(phrase: str, text: str) -> str | None:
    """`phrase` as `text` writes it (any case, whole words, markup aside), e.g. `LangChain` for `langchain`."""
    found = _find_word(phrase, _MARKUP.sub("", text)) if phrase.strip() else None
    return found


def _find_word(term: str, text: str) -> str | None:
    """The first occurrence of `term` in `text`, any case, not touching a `[\\w-]` character.

    An ASCII term is looked for with `str.find` in the lowered text: a pattern
    compiled per entry overflows `re`'s cache.  Without the characters of
    `_FOLDS_ONTO_ASCII`, `lower()` keeps every position and finds what `re.I` would.
    """
    if not (term.isascii() and _FOLDS_ONTO_ASCII.isdisjoint(text)):
        match = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.I)
        return match.group(0) if match else None
    lowered, wanted = text.lower(), term.lower()
    start = lowered.find(wanted)
    while start != -1:
        end = start + len(wanted)
        if not (_in_word(text, start - 1) or _in_word(text, end)):
            return text[start:end]
        start = lowered.find(wanted, start + 1)
    return None


def _in_word(text: str, index: int) -> bool:
    """Is text[index] a `[\\w-]` character (False off either end)?"""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "_-")


# --- names the body gives -----------------------------------------------------------

_CUE = re.compile(
    r"\b(also called|also known as|also termed|a\.k\.a\.|or simply|abbreviated as|abbreviated|short for|stands for"
    r"|(?:often|usually|commonly) written(?: as)?)\s+",
    re.I,
)
#: A literal in every cue: most first paragraphs hold none, and need no search.
_CUE_WORDS = ("also", "simply", "abbreviated", "short for", "stands for", "a.k.a.", "written")
_NAME_LIST_SPLIT = re.compile(r"\s*(?:,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+)\s*")
_ENDS_NAME_LIST = re.compile(r"[,;.]\s|\s(?:is|are|was|were|refers|describes)\s")


def body_aliases(name: str, first_block: Block, header: Header) -> list[tuple[str, Reason]]:
    """Names the first paragraph gives as equal to the term's (see the module docstring)."""
    text = " ".join(first_block.lines)
    found: list[tuple[str, Reason]] = []
    bold = opening_bold(text)
    if bold:
        after = re.match(r"\s*\(([^()]{1,120})\)", text[bold[1] :])
        if after and not _CUE.match(after.group(1)):
            inner = after.group(1).replace("**", "").strip()
            if _gives_name(name, inner):
                found.append((inner, Reason.BODY_PARENTHESIS))
    forms = [name, split_halves(name)[0], header.term]
    lowered = text.lower()
    if not any(word in lowered for word in _CUE_WORDS):
        return found
    for cue in _CUE.finditer(text):
        before = re.sub(r"\s+(?:is|was)$", "", text[: cue.start()].rstrip(" ,(").replace("**", "").rstrip())
        if not any(before.casefold().endswith(form.casefold()) for form in forms if form):
            continue
        rest = text[cue.end() :]
        inside = text[: cue.start()].rstrip().endswith("(")
        stop = _ENDS_NAME_LIST.search(rest)
        end = rest.find(")") if inside else (stop.start() if stop else len(rest))
        for candidate in _NAME_LIST_SPLIT.split(rest[: max(end, 0)]):
            candidate = candidate.replace("**", "").strip(" \"'“”")
            if candidate and "$" not in candidate and len(candidate.split()) <= 6:
                found.append((candidate, Reason.BODY_EQUIVALENT))
    return found


def _gives_name(name: str, inner: str) -> bool:
    """Is `(inner)` after the bold name another name of it: an acronym, or the acronym's expansion?
    Either way it starts with the name's letter; `(2016)` and `(in PyTorch)` do not."""
    if "$" in inner or len(inner.split()) > 8 or inner[:1].casefold() != name[:1].casefold():
        return False
    if abbreviates(inner, name) or abbreviates(name, inner):
        return True
    looks_acronym = " " not in inner and sum(c.isupper() for c in inner) >= 2 and len(inner) <= 12
    name_is_acronym = " " not in name and sum(c.isupper() for c in name) >= 2
    return looks_acronym or (name_is_acronym and len(inner.split()) >= 2)


# --- the corpus's capitals -------------------------------------------------------------


def learn_casing(names: Iterable[str]) -> dict[str, str]:
    """How the corpus writes words that carry capitals inside (`LLM`, `LangChain`, `MoE`): folded → spelling."""
    counts: Counter[str] = Counter()
    for name in names:
        for word in re.findall(r"[^\W_][\w-]*", name):
            if any(c.isupper() for c in word[1:]):
                counts[word] += 1
    casing: dict[str, str] = {}
    for word, _count in counts.most_common():
        casing.setdefault(word.casefold(), word)
    return casing


def recase(text: str, casing: dict[str, str], capitalise: bool = False) -> str:
    """`text` with each word spelled as the corpus spells it; the first letter upper when asked."""
    out = re.sub(r"[^\W_][\w-]*", lambda m: casing.get(m.group(0).casefold(), m.group(0)) if m.group(0).islower() else m.group(0), text)
    if capitalise and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


# --- one entry ------------------------------------------------------------------------


@dataclass
class IdentifyContext:
    """What identifying one entry needs to know about the whole corpus."""

    filing: CategoryFiling
    casing: dict[str, str]


def corpus_context(entries: list[Entry], filing: CategoryFiling) -> IdentifyContext:
    return IdentifyContext(filing, learn_casing(entry.display_name for entry in entries))


def identify_entries(entries: list[Entry], filing: CategoryFiling) -> None:
    """Set every entry's `identity`."""
    context = corpus_context(entries, filing)
    for entry in entries:
        entry.identity = identify_entry(entry, context)


class _Names:
    """The names found so far for one entry, compared by `name_key`."""

    def __init__(self, name: str) -> None:
        main, halves = split_halves(name)
        self.name, self.main, self.halves = name, main, halves
        self.name_keys = {name_key(name), name_key(main)}
        self.taken = {name_key(name), spelling(name)}  # the `X` of `X (Y)` is still to be added, as an alias
        self.decisions: list[Decision] = []

    def add(self, text: str, role: Role, reason: Reason, detail: str = "") -> None:
        """Record `text` unless it repeats a name (a variant repeats one only when spelt the same)."""
        key = spelling(text) if reason is Reason.VARIANT else name_key(text)
        if not key or key in self.taken or spelling(text) in self.taken:
            return
        self.taken |= {key, spelling(text)}
        self.decisions.append(Decision(text, role, reason, detail))


def identify_entry(entry: Entry, context: IdentifyContext) -> Identity:
    """Name, aliases, category and keywords of one entry, each with its reason."""
    header, casing = entry.header, context.casing
    name, source = entry.display_name, entry.name_source
    if source is NameSource.HEADER:
        name = recase(name, casing, capitalise=True)
    names = _Names(name)
    for alias, reason in body_aliases(name, entry.blocks[0], header):
        names.add(alias, Role.ALIAS, reason)
    if names.halves and not qualifies(names.halves):
        for half in [names.main, *names.halves]:
            names.add(half, Role.ALIAS, Reason.NAME_HALF)

    parts = list(header.parts)
    category = ""
    keyword_list = False
    if len(parts) >= 2 and header.style == "compact" and context.filing.is_category(parts[-1]):
        # A keyword list files under its last part only when this corpus's own headers file under it.
        keyword_list = not _names_only(parts[:-1], names) and not context.filing.is_used(parts[-1])
    if len(parts) >= 2 and (header.style == "spaced" or (context.filing.is_category(parts[-1]) and not keyword_list)):
        written = parts.pop()
        category, why = context.filing.file(written)
        reason = Reason.SPACED_LAST if header.style == "spaced" else Reason.KNOWN_CATEGORY
        names.decisions.append(Decision(written, Role.CATEGORY, reason, f"filed under {category!r}: {why}" if why else ""))
    split = _split_title(parts, names.name_keys)
    own_casing = _name_casing(name)
    for index, part in enumerate(parts):
        if index in split:
            names.decisions.append(Decision(part, Role.NAME, Reason.SPLIT_TITLE))
            continue
        role, reason = _classify(part, index, names)
        if role is Role.NAME:
            names.decisions.append(Decision(part, role, reason))
        elif role is Role.ALIAS:
            names.add(_display_alias(part, reason, entry.markdown, casing, own_casing), role, reason)
        else:
            detail = _KEYWORD_LIST_DETAIL if keyword_list and index == len(parts) - 1 else ""
            names.add(part, role, reason, detail)
    return Identity(name, source, names.decisions, category)


_KEYWORD_LIST_DETAIL = "listed in categories.toml, but this header lists keywords and no spaced header files under it"


def _names_only(parts: list[str], names: _Names) -> bool:
    """Are the header parts after the first all names of the entry (the `term,alias,category` shape)?

    A compact header with a keyword among them is a keyword list
    (`tensor cloud,cloud,compute,deep learning`): its last part is one more
    keyword unless the corpus's spaced headers use it as a category.  The first
    part may be a keyword (`langchain,framework` over another article), and a
    qualifier (`advanced`) belongs to a qualified name.
    """
    split = _split_title(parts, names.name_keys)
    for index, part in enumerate(parts[1:], start=1):
        if index in split or part.casefold() in QUALIFIERS:
            continue
        if _classify(part, index, names)[0] is Role.KEYWORD:
            return False
    return True


#: Words that, alone in parentheses after a name, qualify it rather than name it.
QUALIFIERS = frozenset({"advanced", "basic", "basics", "overview", "introduction", "general", "deprecated", "legacy"})


def qualifies(halves: list[str]) -> bool:
    """`Knowledge Graph Embeddings (Advanced)`: a parenthesis that qualifies the name rather than names it."""
    return all(half.casefold() in QUALIFIERS for half in halves)


def _split_title(parts: list[str], name_keys: set[str]) -> set[int]:
    """Indexes of the leading parts that spell the name when joined (`sparse,attention,kernels,…`)."""
    joined = ""
    for count, part in enumerate(parts, start=1):
        joined = f"{joined} {part}"
        if count >= 2 and name_key(joined) in name_keys:
            return set(range(count))
    return set()


def _classify(part: str, index: int, names: _Names) -> tuple[Role, Reason]:
    key = name_key(part)
    if key in names.name_keys:
        same = spelling(part) in (spelling(names.name), spelling(names.main))
        return (Role.NAME, Reason.SAME_NAME) if same else (Role.ALIAS, Reason.VARIANT)
    if key in names.taken:
        return Role.ALIAS, Reason.VARIANT
    forms = [names.main, *[h for h in names.halves if " " in h]]
    if any(abbreviates(part, form) for form in forms):
        return Role.ALIAS, Reason.INITIALS
    if any(abbreviates(form, part) for form in [names.main, *names.halves]):
        return Role.ALIAS, Reason.EXPANSION
    if shortens(part, names.main) or shortens(names.main, part):
        return Role.ALIAS, Reason.SHORTENED
    part_words, name_words = set(words_of(part)), set(words_of(names.name))
    if part_words and part_words < name_words:
        return Role.KEYWORD, Reason.BROADER
    return Role.KEYWORD, Reason.HEADER_TERM if index == 0 else Reason.KEYWORD


def _name_casing(name: str) -> dict[str, str]:
    """How the entry's own name writes each of its words, hyphenated parts apart (`CD-SEM` → `CD`, `SEM`)."""
    words = _WORD.findall(name) + re.findall(r"[^\W_][\w-]*", name)
    return {word.casefold(): word for word in words if word != word.casefold()}


def _display_alias(part: str, reason: Reason, text: str, casing: dict[str, str], own: dict[str, str]) -> str:
    """A header part shown as an alias: as the body writes it; else with the capitals the corpus and the
    name's own acronyms give its words (`moe` → `MoE`, `critical dimension sem` → `critical dimension SEM`);
    initials nobody writes, upper-case."""
    found = find_phrase(part, text)
    if found and found != found.lower():
        return found
    acronyms = {folded: word for folded, word in own.items() if sum(c.isupper() for c in word) >= 2}
    shown = recase(recase(part, casing), acronyms)
    if reason is Reason.INITIALS and shown.islower():
        return part.upper() if not part.endswith("s") else part[:-1].upper() + "s"
    return shown
