"""The search index's compact columns answer like the lists and dicts
they replaced: texts by position, substring search, copy-on-write changes,
id -> position for dense and sparse ids."""

from array import array

from directory.search.columns import Positions, Texts


def test_texts_read_back_and_find_like_a_list_of_strings():
    texts = ["harbor house\nnorth star", "clínica esperanza", "", "Harbor\x00 annex", "cedar"]
    column = Texts.of(texts)
    assert [column[pos] for pos in range(len(column))] == [t.replace("\x00", "") for t in texts]
    for needle in ["harbor", "arbor", "clínica", "a", "r\nn", "x" * 3, "cedar", "é"]:
        expected = [pos for pos, text in enumerate(texts) if needle in text.replace("\x00", "")]
        assert column.find(needle) == expected, needle
    # A match may not run from one text into the next.
    assert column.find("housenorth") == [] and column.find("esperanza\x00") == []


def test_texts_changes_are_copies_and_searchable():
    column = Texts.of(["alder", "birch", "cedar"])
    changed = column.with_text(1, "bayview birch").with_text(3, "new alder")
    assert [column[pos] for pos in range(3)] == ["alder", "birch", "cedar"]  # the original is untouched
    assert len(column) == 3 and len(changed) == 4
    assert changed[1] == "bayview birch" and changed[3] == "new alder"
    assert changed.find("alder") == [0, 3] and changed.find("bay") == [1] and column.find("bay") == []


def test_positions_dense_and_sparse_ids():
    dense = Positions.of(array("q", [3, 5, 9]))
    assert [dense.get(pk) for pk in [3, 5, 9, 4, 10, 10_000]] == [0, 1, 2, None, None, None]
    moved = dense.with_position(4, 3).with_position(50_000_000, 4)
    assert moved[4] == 3 and moved[50_000_000] == 4 and dense.get(4) is None
    sparse = Positions.of(array("q", [1, 10**12]))
    assert len(sparse.slots) == 0 and sparse[10**12] == 1 and 2 not in sparse
