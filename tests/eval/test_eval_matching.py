from eval.matching import compact, contains, fold, matching_phrases


def test_fold_removes_line_break_hyphenation_with_blank_lines() -> None:
    raw = "Besprechung des Bun- \n\ndeskanzlers mit den Regierungschefinnen"
    assert fold(raw) == "besprechung des bundeskanzlers mit den regierungschefinnen"


def test_fold_keeps_hyphens_inside_a_line() -> None:
    assert fold("Delos-Cloud  mit\tMS 365") == "delos-cloud mit ms 365"


def test_contains_matches_across_page_layout() -> None:
    passage = "BY:\n\n Schließt sich NW an. Die Kurzfristigkeit und Irritation spreche für die Ableh-\n\nnung"
    assert contains(passage, "die kurzfristigkeit und IRRITATION spreche für die Ablehnung")


def test_contains_tolerates_bullets_and_quotes() -> None:
    passage = "TOP 10 \u201eBericht des Themenpaten Informationssicherheit\u201c wird vorgezogen"
    assert contains(
        passage, 'TOP 10 "Bericht des Themenpaten Informationssicherheit" wird vorgezogen'
    )
    assert contains(
        "› Die Kooperation zwischen BSI und BW", "- Die Kooperation zwischen BSI und BW"
    )


def test_contains_rejects_other_text() -> None:
    assert not contains(
        "Spricht sich ebenfalls gegen eine Beschlussfassung aus", "Spricht sich gegen"
    )
    assert not contains("anything", "")


def test_compact_and_matching_phrases() -> None:
    assert compact("Nordrhein-West-\nfalen") == "nordrheinwestfalen"
    found = matching_phrases("Der Bund formuliert ein Schreiben", ["formuliert ein", "SAP"])
    assert found == ["formuliert ein"]
