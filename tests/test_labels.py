"""Tests for attack.labels: names, search, resolve and Chinese display names."""
import json
import re
from pathlib import Path

import pytest


from attack.inputs import labels as L  # noqa: E402

# Names the app showed before the full table, checked by hand (index: English, Chinese): kept as they were.
HAND_PICKED = {
    0: ("tench", "丁鲷"), 1: ("goldfish", "金鱼"), 207: ("Golden Retriever", "金毛寻回犬"),
    281: ("tabby cat", "虎斑猫"), 283: ("Persian cat", "波斯猫"), 284: ("Siamese cat", "暹罗猫"),
    285: ("Egyptian Mau", "埃及猫"), 309: ("bee", "蜜蜂"), 341: ("pig", "猪"), 342: ("wild boar", "野猪"),
    388: ("giant panda", "大熊猫"), 409: ("analog clock", "指针式时钟"), 417: ("balloon", "气球"),
    430: ("basketball", "篮球"), 450: ("bobsleigh", "雪车"), 457: ("bow tie", "领结"),
    465: ("bulletproof vest", "防弹衣"), 504: ("coffee mug", "咖啡杯"), 530: ("digital clock", "数字时钟"),
    540: ("drilling rig", "钻井平台"), 560: ("football helmet", "橄榄球头盔"), 652: ("military uniform", "军装"),
    657: ("missile", "导弹"), 715: ("Pickelhaube", "尖顶头盔"), 719: ("piggy bank", "存钱罐"),
    744: ("projectile", "射弹"), 812: ("space shuttle", "航天飞机"), 817: ("sports car", "跑车"),
    837: ("sunglasses", "太阳镜"), 859: ("toaster", "烤面包机"), 920: ("traffic light", "交通信号灯"),
    948: ("Granny Smith apple", "青苹果"), 950: ("orange", "橙子"), 954: ("banana", "香蕉"), 963: ("pizza", "比萨"),
    967: ("espresso", "意式浓缩咖啡"), 968: ("tea cup", "茶杯"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def test_label_and_synonyms():
    assert L.label(859) == "toaster"
    assert L.label(341) == "pig"
    assert L.synonyms(341)[:3] == ("hog", "pig", "grunter")
    assert L.synonyms(0) == ("tench", "Tinca tinca")


def test_search():
    assert L.search("toast")[0] == 859
    assert L.search("  TOASTER ")[0] == 859
    assert L.search("859") == [859]
    assert L.search("") == [] and L.search("   ") == []
    assert L.search("hog")[0] == 341  # exact synonym
    assert L.search("pig")[0] == 341  # exact clean name beats "guinea pig"
    hits = L.search("cat", limit=4)
    assert len(hits) == 4 and set(hits) <= {281, 282, 283, 284}  # whole-word "cat" first


@pytest.mark.parametrize("query", ["toaster", "859", 859, " Toaster ", "toaster (859)"])
def test_resolve_toaster(query):
    assert L.resolve(query) == 859


def test_resolve_synonym_and_fragment():
    assert L.resolve("hog") == 341
    assert L.resolve("Egyptian cat") == 285
    assert L.resolve("shuttle") == 812  # unique fragment
    assert L.resolve("missile") == 657  # clean name beats 744's synonym "missile"


def test_resolve_ambiguous_lists_candidates():
    with pytest.raises(L.LabelNotFound) as err:
        L.resolve("cat")
    msg = err.value.message
    assert msg.startswith("“cat” matches several classes:")
    assert "tabby cat (281)" in msg and "tiger cat (282)" in msg
    assert "give the number or the full name" in msg
    with pytest.raises(L.LabelNotFound, match=r"crane bird \(134\).*construction crane \(517\)"):
        L.resolve("crane")  # exact synonym of two classes


def test_resolve_misspelt_suggests():
    with pytest.raises(L.LabelNotFound) as err:
        L.resolve("toastr")
    assert err.value.message == "No ImageNet class matches “toastr”. Did you mean: toaster (859)?"
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("bad", [1000, -1, "1000", True, 3.0, ""])
def test_out_of_range_and_invalid(bad):
    with pytest.raises(L.LabelNotFound):
        L.resolve(bad)


@pytest.mark.parametrize("fn", [L.label, L.synonyms, L.display])
def test_index_functions_range_checked(fn):
    for bad in (1000, -1):
        with pytest.raises(L.LabelNotFound, match="0 to 999"):
            fn(bad)


def test_all_labels_unique():
    names = L.all_labels()
    assert len(names) == L.NUM_CLASSES
    assert len({n.lower() for n in names}) == L.NUM_CLASSES
    # the package repeats these; they get the classic names
    renamed = (names[657], names[744], names[836], names[837])
    assert renamed == ("missile", "projectile", "sunglass", "sunglasses")
    names.append("x")  # callers get a copy of the cache
    assert len(L.all_labels()) == L.NUM_CLASSES


def test_every_class_has_a_unique_chinese_name():
    shown = [L.display(i, "zh") for i in range(L.NUM_CLASSES)]
    assert len(set(shown)) == L.NUM_CLASSES, [n for n in shown if shown.count(n) > 1]
    assert all(_CJK.search(name) for name in shown), [n for n in shown if not _CJK.search(n)]
    assert all(name == name.strip() and "," not in name and "（" not in name for name in shown)
    # aliases too: one Chinese name never points at two classes
    every = [name for i in range(L.NUM_CLASSES) for name in L.zh_names(i)]
    assert len(set(every)) == len(every)


def test_hand_picked_chinese_names_are_kept():
    for index, (english, chinese) in HAND_PICKED.items():
        assert (L.label(index), L.display(index, "zh")) == (english, chinese), index


def test_chinese_table_is_the_reviewed_build_of_the_upstream_file():
    """The shipped table is what scripts/build_imagenet_zh.py makes: its recorded changes are in it."""
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_zh", root / "scripts" / "build_imagenet_zh.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    table = json.loads((root / "attack" / "data" / "imagenet_zh.json").read_text(encoding="utf-8"))
    for index, names in build.CHANGES.items():
        assert table[str(index)] == names, index
    changes = (root / "attack" / "data" / "imagenet_zh_changes.tsv").read_text(encoding="utf-8").splitlines()
    assert {int(line.split("\t")[0]) for line in changes[1:]} == set(build.CHANGES)  # no no-op changes


def test_display():
    assert L.display(859, "zh") == "烤面包机"
    assert L.display(341, "zh-CN") == "猪"
    assert L.display(859) == "toaster"
    assert L.display(282, "zh") == "虎纹猫"  # tiger cat: unique, not the lynx's 山猫


@pytest.mark.parametrize("query,index", [("手风琴", 401), ("烤面包机", 859), ("大熊猫", 388),
                                         ("金毛", 207), ("意式浓缩咖啡", 967), ("浓缩咖啡", 967)])
def test_search_and_resolve_chinese(query, index):
    assert L.search(query)[0] == index
    assert L.resolve(query) == index


def test_chinese_search_prefers_the_head_noun():
    # Chinese puts the kind last: every "…猫" cat comes before names that merely start with 猫.
    assert set(L.search("猫", limit=5)) == {281, 282, 283, 284, 285}
    with pytest.raises(L.LabelNotFound) as err:
        L.resolve("猫")
    assert "虎斑猫 (281)" in err.value.message  # a Chinese query gets Chinese candidates


# --- bounds: a query longer than any name is refused before any matching ----------------------------

def _no_difflib(monkeypatch):
    import difflib

    def refuse(*args, **kwargs):
        raise AssertionError("difflib ran")

    monkeypatch.setattr(difflib, "SequenceMatcher", refuse)


@pytest.mark.parametrize("fn", [L.resolve, L.search])
def test_a_query_longer_than_any_name_is_refused_before_matching(fn, monkeypatch):
    _no_difflib(monkeypatch)
    monkeypatch.setattr(L, "_ranked", lambda q: pytest.fail("matched a refused query"))
    with pytest.raises(L.LabelNotFound) as err:
        fn("toaster " * 12_500)  # 100,000 characters
    assert err.value.code == "label.too_long"
    assert err.value.params == {"limit": L.MAX_QUERY_CHARS, "length": 100_000}
    assert "toaster" not in err.value.message  # the sentence does not echo the query


def test_the_bound_is_above_every_name_and_the_pickers_form():
    names = [name for entries in L._names_by_class() for name, _ in entries]
    picker = [f"{L.display(i, lang)} ({i})" for i in range(L.NUM_CLASSES) for lang in ("en", "zh")]
    assert max(map(len, names + picker)) <= L.MAX_QUERY_CHARS
    longest = max(names, key=len)
    assert L.resolve(longest.upper()) in L._owners()[longest]  # the longest name still resolves


def test_a_query_at_the_bound_still_gets_suggestions():
    longest = max(L._owners(), key=len)
    query = (longest + " " + "q" * L.MAX_QUERY_CHARS)[:L.MAX_QUERY_CHARS]
    with pytest.raises(L.LabelNotFound) as err:
        L.resolve(query)
    assert err.value.code == "label.did_you_mean"
    assert f"({L._owners()[longest][0]})" in err.value.message


def test_suggestions_are_those_of_rating_every_name():
    """The bound-first search names what difflib's ratio over every name would (ties in name order)."""
    import difflib

    def exhaustive(q):
        owners = L._owners()
        ratio = {name: difflib.SequenceMatcher(None, q, name).ratio() for name in owners}
        close = sorted((n for n in owners if ratio[n] >= 0.6), key=lambda n: -ratio[n])[:5]
        return [n for n in close if ratio[n] >= ratio[close[0]] - 0.1]

    queries = ["toastr", "tabi cat", "espreso", "gold fsh", "crain", "aeinorst", "piza", "qqqqzzzz", "金毛犬犬",
               "grany smith", "sport car", "eaoirtnslcuhdm"]
    for q in queries:
        assert L._close_names(q) == exhaustive(q), q


@pytest.mark.parametrize("query", ["²", "¹²³"])
def test_digit_like_characters_are_no_class_number(query):
    """str.isdigit() accepts "²", which int() cannot read: a ValueError instead of LabelNotFound."""
    with pytest.raises(L.LabelNotFound):
        L.resolve(query)
    assert isinstance(L.search(query), list)
