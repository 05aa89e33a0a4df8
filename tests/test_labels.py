"""Tests for attack.labels: names, search, resolve and Chinese display names."""


import pytest


from attack import labels as L  # noqa: E402

# What each ZH_NAMES key is meant to be; a wrong index fails here.
ZH_INTENDED = {
    0: "tench", 1: "goldfish", 207: "Golden Retriever", 281: "tabby cat", 283: "Persian cat",
    284: "Siamese cat", 285: "Egyptian Mau", 309: "bee", 341: "pig", 342: "wild boar",
    388: "giant panda", 409: "analog clock", 417: "balloon", 430: "basketball", 450: "bobsleigh",
    457: "bow tie", 465: "bulletproof vest", 504: "coffee mug", 530: "digital clock",
    540: "drilling rig", 560: "football helmet", 652: "military uniform", 657: "missile",
    715: "Pickelhaube", 719: "piggy bank", 744: "projectile", 812: "space shuttle",
    817: "sports car", 837: "sunglasses", 859: "toaster", 920: "traffic light",
    948: "Granny Smith apple", 950: "orange", 954: "banana", 963: "pizza", 967: "espresso",
    968: "tea cup",
}


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


def test_zh_names_point_at_intended_classes():
    assert set(L.ZH_NAMES) == set(ZH_INTENDED)
    for index, english in ZH_INTENDED.items():
        assert L.label(index) == english, index


def test_display():
    assert L.display(859, "zh") == "烤面包机"
    assert L.display(341, "zh-CN") == "猪"
    assert L.display(859) == "toaster"
    assert L.display(282, "zh") == "tiger cat"  # no Chinese name: English fallback
