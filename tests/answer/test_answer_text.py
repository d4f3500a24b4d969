"""Sentence splitting and terms over German protocol text."""

from __future__ import annotations

import pytest

from answer.text import ellipsize, split_sentences, terms
from answer.wording import period_phrase


@pytest.mark.parametrize(
    "text",
    [
        "Die Weiterentwicklung solle geschildert werden, bspw. in der AG Cloud oder einem anderen Format.",
        "Unterstützt BY bzgl. der Kommunikationsstrategie ausdrücklich.",
        "Schwerpunktthemen der Sitzung waren u. a. die OZG-Umsetzung und die Registermodernisierung.",
        "Der IT-Planungsrat richtet im Sinne des § 3 Abs. 4 NOOTS-Staatsvertrag die Steuerungsgruppe NOOTS ein.",
        "Die Unterstützung pro Studienausgabe beträgt durchschnittlich bis zu 40.700,00 Euro.",
        "Der Bundeskanzler hat am 06.11.2023 folgenden Beschluss gefasst.",
        "Ein Beispiel ist z. B. die Leistung BAföG nach Nr. 5 der Anlage.",
        "Eine Frist bis spätestens zur 48. Sitzung des IT-Planungsrats wird erwartet.",
        "Dies sei bzw. werde im Rahmen der 44. Sitzung des IT-Planungsrats bekräftigt.",
    ],
)
def test_abbreviations_numbers_and_dates_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_protocol_statement_splits_into_its_sentences() -> None:
    text = (
        "Schließt sich NW an. Die Kurzfristigkeit und Irritation spreche für die Ablehnung "
        "des Beschlussvorschlags. Außerdem werde in einem deklaratorischen Beschluss kein "
        "Mehrwert gesehen."
    )
    assert split_sentences(text) == [
        "Schließt sich NW an.",
        "Die Kurzfristigkeit und Irritation spreche für die Ablehnung des Beschlussvorschlags.",
        "Außerdem werde in einem deklaratorischen Beschluss kein Mehrwert gesehen.",
    ]


def test_bullets_are_boundaries_and_disappear() -> None:
    text = "› Hinweis auf das Bestehen der AG Cybersicherheit. › Die Zusammenarbeit solle gestärkt werden"
    assert split_sentences(text) == [
        "Hinweis auf das Bestehen der AG Cybersicherheit.",
        "Die Zusammenarbeit solle gestärkt werden",
    ]


def test_a_full_date_can_end_a_sentence() -> None:
    text = "Die Beauftragung erfolgt bis zum 31.08.2025. Er bittet die FITKO darum."
    assert split_sentences(text) == [
        "Die Beauftragung erfolgt bis zum 31.08.2025.",
        "Er bittet die FITKO darum.",
    ]


def test_numbered_list_items_stay_with_their_text() -> None:
    text = "Bewertung erfolgt erneut. 2. Die Förderung dieses Vorhaben erfolgt aus Budgetmitteln."
    assert split_sentences(text) == [
        "Bewertung erfolgt erneut.",
        "2. Die Förderung dieses Vorhaben erfolgt aus Budgetmitteln.",
    ]


def test_terms_are_stems_and_compounds_give_their_parts() -> None:
    found = terms("Die Cloud-Strategie der Länder")
    assert "cloud" in found and "strategi" in found
    assert terms("Beschlussfassung") == terms("beschlussfassung")
    assert "40.700,00" in terms("bis zu 40.700,00 Euro")


def test_ellipsize_cuts_at_a_word_and_marks_the_cut() -> None:
    long = "Wort " * 100
    cut = ellipsize(long.strip(), 50)
    assert len(cut) <= 52 and cut.endswith("…") and "Wor …" not in cut


@pytest.mark.parametrize(
    ("low", "high", "language", "phrase"),
    [
        ("2024-01-01", "2024-12-31", "de", "2024"),
        ("2024-01-01", "2024-12-31", "en", "in 2024"),
        ("2024-03-01", "2024-03-31", "de", "zwischen dem 01.03.2024 und dem 31.03.2024"),
        ("2024-03-01", "2024-03-31", "en", "between 01.03.2024 and 31.03.2024"),
        ("2024-03-01", None, "de", "nach dem 01.03.2024"),
        (None, "2024-03-31", "en", "before 31.03.2024"),
    ],
)
def test_a_period_is_named_as_a_year_where_it_is_one(
    low: str | None, high: str | None, language: str, phrase: str
) -> None:
    assert period_phrase(low, high, language) == phrase
