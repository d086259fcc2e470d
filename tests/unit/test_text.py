"""Folding and transliteration: the same name in any script or spelling matches."""

from __future__ import annotations

import pytest

from tracker.text import cyrillic_to_latin, fold, latin_to_cyrillic, repeats, search_words


@pytest.mark.parametrize("spelling", ["Čačak", "Cacak", "cacak", "Чачак", "ČAČAK", "  čačak "])
def test_fold_ignores_script_case_and_diacritics(spelling: str) -> None:
    assert fold(spelling) == "cacak"


def test_fold_dj_and_digraphs() -> None:
    assert fold("Ђурђевац") == fold("Đurđevac") == fold("Djurdjevac") == "djurdjevac"
    assert fold("Љубовија") == fold("Ljubovija") == "ljubovija"
    assert fold("Њ") == "nj"


def test_latin_to_cyrillic_digraphs_and_case() -> None:
    assert latin_to_cyrillic("Ljubovija") == "Љубовија"
    assert latin_to_cyrillic("NJEGOŠ") == "ЊЕГОШ"
    assert latin_to_cyrillic("Džep i šešir") == "Џеп и шешир"
    assert latin_to_cyrillic("Čačak, Đurđevo") == "Чачак, Ђурђево"


def test_latin_to_cyrillic_keeps_placeholders_markup_and_acronyms() -> None:
    text = "Unesite %(n)s znakova za {name} u <strong>TOTP</strong>: https://primer.rs/a"
    assert latin_to_cyrillic(text) == (
        "Унесите %(n)s знакова за {name} у <strong>TOTP</strong>: https://primer.rs/a"
    )


def test_round_trip() -> None:
    for word in ["Šabac", "Niš", "Ćuprija", "Užice", "Novi Sad", "Bečej", "Kanjiža"]:
        assert cyrillic_to_latin(latin_to_cyrillic(word)) == word


def test_repeats_lists_each_extra_occurrence_so_a_word_counts_as_one_plus_its_repeats() -> None:
    text = search_words("Tender, tender! Opština i TENDER u opštini Čačak (Чачак).")
    found = repeats(text)
    assert found == " tender  tender  cacak "
    for word in ("tender", "opstina", "opstini", "cacak", "i", "u"):
        assert 1 + found.count(f" {word} ") == text.count(f" {word} ")
    assert repeats(search_words("Jedna reč")) == "" and repeats("") == ""
