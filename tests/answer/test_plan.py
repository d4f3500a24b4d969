"""One reading of a question: speakers, sessions, periods, the shape of answer asked for."""

from __future__ import annotations

import itertools

import pytest

from answer.plan import detect_language, read_question
from gremium.speakers import REGISTRY


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", ("BY",)),
        ("Wie äußerte sich die bayerische Landesregierung?", ("BY",)),
        ("Position des Freistaat Bayern zur Cloud", ("BY",)),
        ("What did Bavaria and Lower Saxony say?", ("BY", "NI")),
        ("Was meint NRW zur Registermodernisierung?", ("NW",)),
        ("Was sagte der Bund zur Delos Cloud?", ("Bund",)),
        ("Die Cloud-Strategie des Bundes und der Länder", ()),
        ("Wie arbeiten Bund und Länder bei NOOTS zusammen?", ()),
        ("Was sagten Sachsen-Anhalt und Sachsen?", ("ST", "SN")),
        ("Was sagte Hessen zur Kooperation mit dem BSI?", ("HE",)),
        ("Was wurde mit dem BSI vereinbart?", ()),  # an object: the topic, not the speaker
        ("Was bittet die DMK den Bund zu prüfen?", ()),
        ("Wie hoch ist das Budget Bayerns für den DigitalPakt?", ()),  # a genitive attribute
        ("Was sagte die Vertreterin des Bundes?", ("Bund",)),
        ("What about Rhineland-Palatinate?", ("RP",)),
        ("Und was ist mit dem Bund?", ("Bund",)),
    ],
)
def test_speakers_are_subjects_not_objects(question: str, codes: tuple[str, ...]) -> None:
    assert read_question(question).speakers == codes


@pytest.mark.parametrize(
    ("question", "session", "date_from", "date_to"),
    [
        ("Was wurde in der 47. Sitzung beschlossen?", "47", None, None),
        ("Was geschah in der Sondersitzung?", "sonder", None, None),
        ("Was wurde im Juni 2024 beraten?", None, "2024-06-01", "2024-06-30"),
        ("Sitzung am 27.06.2024", "2024-06-27", "2024-06-27", "2024-06-27"),
        ("Was sagte Hessen am 26. Juni 2025?", "2025-06-26", "2025-06-26", "2025-06-26"),
        ("Was berichtete der IT-Planungsrat im Jahr 2021?", None, "2021-01-01", "2021-12-31"),
        ("What happened at the 47th meeting?", "47", None, None),
        ("Was sagte NRW zur 44. Sitzung?", None, None, None),  # a session as a topic
    ],
)
def test_sessions_and_periods(
    question: str, session: str | None, date_from: str | None, date_to: str | None
) -> None:
    plan = read_question(question)
    assert (plan.session, plan.date_from, plan.date_to) == (session, date_from, date_to)


@pytest.mark.parametrize(
    ("question", "aggregate"),
    [
        ("Welche Länder sprachen sich gegen eine Beschlussfassung aus?", True),
        ("Wer hat eine Protokollnotiz abgegeben?", True),
        ("Which states opposed a decision?", True),
        ("Wie viele Länder äußerten sich zur Delos Cloud?", True),
        ("Welche Länder haben angeboten, bei Übungen mitzumachen?", True),
        ("Wer leitet das Projekt Unternehmenskonto?", False),
        ("Which members have voting rights in the NOOTS steering group?", False),
        ("Bis wann sollten alle Länder der Vereinbarung beitreten?", False),
        ("Was hat Bayern zur Delos Cloud gesagt?", False),
        ("Wie hoch ist die Unterstützung pro Studienausgabe?", False),
    ],
)
def test_aggregate_needs_a_speech_act(question: str, aggregate: bool) -> None:
    assert read_question(question).aggregate is aggregate


def test_the_topic_keeps_what_the_question_is_about() -> None:
    plan = read_question("Was hat Bayern in der Sondersitzung zur Delos Cloud gesagt?")
    assert plan.topic == "Delos Cloud" and plan.asks_speech
    assert read_question("Wie hoch ist die Grundsteuer in Bayern 2026?").topic == "Grundsteuer 2026"
    assert read_question("Wer hat eine Protokollnotiz abgegeben?").topic == ""


def test_flags_of_the_answer_shape() -> None:
    plan = read_question("Welche Länder sprachen sich gegen eine Beschlussfassung aus?")
    assert plan.stance == "against" and plan.speaker_groups == ("land",)
    assert read_question("Wie hoch ist der Betrag?").figure
    assert read_question("Was steht in der Protokollnotiz Bayerns?").protocol_note
    assert read_question("Wie hat sich Bayerns Haltung zur Cloud entwickelt?").over_time


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Was hat Bayern zur Delos Cloud gesagt?", "de"),
        ("What did Bavaria say about the Delos Cloud?", "en"),
        ("Who submitted a protocol note?", "en"),
        ("Delos Cloud", "de"),
        ("", "de"),
    ],
)
def test_language(question: str, language: str) -> None:
    assert detect_language(question) == language


# -- whose words: source phrases, titles, objects ----------------------------------------------

_LANDS = [s for s in REGISTRY.all() if s.kind == "land"]


@pytest.mark.parametrize(
    "template",
    [
        "Was ist laut {name} bei der Cloud wichtig?",
        "Was ist nach Ansicht von {name} bei der Cloud wichtig?",
        "What matters for the cloud according to {name}?",
        "What matters for the cloud in the view of {name}?",
        "Welche Haltung vertrat {name} zur Kooperation mit dem BSI?",
    ],
)
def test_a_source_phrase_names_the_speaker_for_every_land(template: str) -> None:
    for land in _LANDS:
        plan = read_question(template.format(name=land.name))
        assert land.code in plan.speakers, (template, land.name, plan.speakers)


@pytest.mark.parametrize(
    "template",
    [
        "Wie hoch ist laut {name} der Bedarf?",
        "Warum war laut {name} eine schnelle Entscheidung nötig?",
        "Why, according to {name}, was a quick decision needed?",
        "How large is the budget according to {name}?",
    ],
)
def test_a_speaker_named_as_source_asks_for_their_words(template: str) -> None:
    """A figure or a decision asked "according to" someone is asked from their words."""
    for speaker in REGISTRY.all():
        plan = read_question(template.format(name=speaker.name))
        assert speaker.code in plan.speakers and plan.asks_speech, (template, speaker.name)
    # without a source, a figure question asks for no one's words
    assert not read_question("Wie hoch ist der Bedarf?").asks_speech


def test_a_genitive_after_a_view_noun_is_the_speaker() -> None:
    assert read_question("Was ist aus Sicht des Bundes nötig?").speakers == ("Bund",)
    assert read_question("Kommt die Verwaltung nach Ansicht des Kanzleramts aus?").speakers == (
        "BKAmt",
    )
    # a genitive attribute of another noun stays an attribute
    assert read_question("Wie hoch ist das Budget Bayerns für den DigitalPakt?").speakers == ()


def test_the_federal_side_is_the_federation() -> None:
    for question in (
        "Wie schätzte die Bundesseite die Risiken ein?",
        "What did the federal side propose?",
        "Why, according to the federal government, was the session called?",
    ):
        assert read_question(question).speakers == ("Bund",), question


def test_objects_are_part_of_the_topic_and_not_speakers() -> None:
    plan = read_question("Was sagte Hessen zur Kooperation mit dem BSI?")
    assert plan.speakers == ("HE",) and "BSI" in plan.topic.split()
    # a name right after an abbreviation belongs to it ("ITZ Bund"), and English objects
    # follow their verb ("ask the Federation to ...")
    assert read_question("Worum bittet die DMK den Bund in Sachen ITZ Bund?").speakers == ()
    assert read_question("What did the conference ask the Federation to examine?").speakers == ()
    assert read_question("Wie soll der Austausch zwischen BSI und Bayern laufen?").speakers == ()


@pytest.mark.parametrize("when", ["gegen Ende", "gegen Anfang", "gegen Mitte", "gegen Schluss"])
def test_gegen_before_a_point_in_time_is_no_stance(when: str) -> None:
    plan = read_question(f"Was hat Hamburg {when} der Sondersitzung empfohlen?")
    assert plan.stance == "none" and plan.speakers == ("HH",)
    assert read_question("Was hatte Hamburg gegen den Vorschlag?").stance == "against"


# -- who spoke at all, who was there ------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Wer hat sich in der 47. Sitzung zu Wort gemeldet?",
        "Welche Länder ergriffen in der Sondersitzung das Wort?",
        "Which federal bodies took the floor at the 47th session?",
        "Wer hat in der 42. Sitzung zu den Eckpunkten Stellung genommen?",
        "Wer äußerte sich zur Deutschen Verwaltungscloud?",
    ],
)
def test_speaking_at_all_is_an_aggregate_over_everyone_who_spoke(question: str) -> None:
    plan = read_question(question)
    assert plan.aggregate and plan.generic_speech, question
    assert not {"Wort", "floor", "gemeldet", "ergriffen", "took"} & set(plan.topic.split())


def test_a_particular_mention_is_not_speaking_at_all() -> None:
    plan = read_question("Wer hat in der Sondersitzung openDesk ausdrücklich erwähnt?")
    assert plan.aggregate and not plan.generic_speech and plan.topic == "openDesk"


@pytest.mark.parametrize(
    ("template", "attendance"),
    [
        ("Welche {group} fehlten in der {n}. Sitzung?", "absent"),
        ("Welche {group} waren in der {n}. Sitzung entschuldigt?", "absent"),
        ("Welche {group} waren in der {n}. Sitzung nicht vertreten?", "absent"),
        ("Welche {group} nahmen an der {n}. Sitzung teil?", "present"),
        ("Welche {group} waren in der {n}. Sitzung anwesend?", "present"),
    ],
)
def test_attendance_questions_over_classes_and_sessions(template: str, attendance: str) -> None:
    groups = {"Länder": ("land",), "kommunalen Spitzenverbände": ("municipal",)}
    for (group, codes), number in itertools.product(groups.items(), (35, 42, 47)):
        plan = read_question(template.format(group=group, n=number))
        assert plan.attendance == attendance, (template, group)
        assert plan.aggregate and plan.session == str(number) and plan.speaker_groups == codes
        assert plan.topic == ""


def test_taking_part_in_something_else_is_not_attendance() -> None:
    plan = read_question("Welche Länder wollen an gemeinsamen Sicherheitsübungen teilnehmen?")
    assert plan.attendance == "none" and "Sicherheitsübungen" in plan.topic


@pytest.mark.parametrize(
    ("phrase", "position"),
    [
        ("zu Beginn der 47. Sitzung", "start"),
        ("am Anfang der Sondersitzung", "start"),
        ("at the opening of the 47th session", "start"),
        ("gegen Ende der Sondersitzung", "end"),
        ("zum Schluss der 47. Sitzung", "end"),
        ("at the end of the special session", "end"),
        ("in der 47. Sitzung", "none"),
    ],
)
def test_the_opening_or_close_of_a_session_is_a_position_not_a_topic(
    phrase: str, position: str
) -> None:
    for question in (f"Was sagte Hamburg {phrase} zur Cloud?", f"What did Hamburg say {phrase}?"):
        plan = read_question(question)
        assert plan.position == position, question
        assert plan.session in ("47", "sonder"), question
        assert not {"Beginn", "Anfang", "Ende", "Schluss", "end", "opening"} & set(
            plan.topic.split()
        )


TITLE_TEMPLATES = (
    "Was sagte {title} zur Delos Cloud?",
    "Welche Bedenken äußerte {title} in der Sondersitzung?",
    "Wofür setzte sich {title} beim Thema Informationssicherheit ein?",
    "Warum lehnte {title} den Beschlussvorschlag ab?",
)


@pytest.mark.parametrize("template", TITLE_TEMPLATES)
def test_a_title_alone_is_read_once_per_member_bearing_it(template: str) -> None:
    """ "der Freistaat" may be Bayern, Sachsen or Thüringen: one reading for each, read
    as the question naming that member would be, the title no longer part of the topic."""
    from answer.plan import titled_readings

    titles = {
        "der Freistaat": {"BY", "SN", "TH"},
        "die Hansestadt": {"HB", "HH"},
        "die Freie Hansestadt": {"HB"},
    }
    for title, members in titles.items():
        plan = read_question(template.format(title=title))
        readings = titled_readings(plan)
        assert {code for code, _ in readings} == members, (template, title)
        for code, reading in readings:
            name = REGISTRY.get(code).name  # type: ignore[union-attr]
            named = read_question(template.format(title=f"{title} {name}"))
            assert reading.speakers == named.speakers == (code,), (template, title)
            assert (reading.asks_speech, reading.stance) == (named.asks_speech, named.stance)
            assert not {"freistaat", "hansestadt"} & {w.casefold() for w in reading.topic.split()}
            assert reading.text == plan.text and reading.session == plan.session
    # a title with its name is a mention; "das Land" stands for every Land and names none
    assert titled_readings(read_question(template.format(title="der Freistaat Bayern"))) == []
    assert titled_readings(read_question(template.format(title="das Land"))) == []


PREPOSITIONS = "an auf aus bei durch für gegen in mit nach über um von vor zu".split()  # noqa: SIM905


@pytest.mark.parametrize("preposition", PREPOSITIONS)
def test_pronominal_adverbs_ask_or_point_back_and_name_no_topic(preposition: str) -> None:
    """German builds "wofür", "worüber", "dazu", "hierauf" from its prepositions (an "r"
    before a vowel): asking words and pointers, never the topic of the question."""
    glue = "r" if preposition[0] in "aeiouäöü" else ""
    asking = f"Wo{glue}{preposition}"
    pointing = f"da{glue}{preposition}"
    plan = read_question(f"{asking} äußerte sich Hamburg in der 47. Sitzung?")
    assert plan.speakers == ("HH",) and plan.topic == "", plan
    plan = read_question(f"Was sagte Berlin {pointing} zur Registermodernisierung?")
    assert plan.speakers == ("BE",) and plan.topic == "Registermodernisierung", plan


@pytest.mark.parametrize(
    "template",
    [
        "Who did {name} want to cooperate with on cyber security?",
        "Whom did {name} ask to check the reports?",
        "Who, in {name}'s view, should decide the cloud strategy?",
        "Who benefits from the cooperation, in {name}’s opinion?",
        "According to {name}, who is taking part in the test system?",
        "Wer soll laut {name} die Cloud-Strategie bestimmen?",
        "Wer sollte nach {name}s Ansicht das Schreiben verschicken?",
    ],
)
def test_a_who_question_asked_through_one_speaker_asks_for_their_words(template: str) -> None:
    """ "Who did Bavaria want …?": the speaker is the subject or the source, "who" asks
    for a fact in their words; the question is not an aggregate over everyone."""
    for land in _LANDS:
        name = land.name.removesuffix("s") if "{name}s" in template else land.name
        plan = read_question(template.format(name=name))
        assert not plan.aggregate and land.code in plan.speakers, (template, land.name)


@pytest.mark.parametrize(
    "question",
    [
        "Who criticised Bavaria?",
        "Who mentioned the BSI in the 47th session?",
        "Wer hat Hamburg unterstützt?",
        "Who asked the federal government for a letter?",
    ],
)
def test_a_who_question_with_the_speaker_as_object_stays_an_aggregate(question: str) -> None:
    plan = read_question(question)
    assert plan.aggregate and plan.speakers == (), question


MODALS = ["wollte", "musste", "sollte", "durfte", "konnte", "möchte", "müssen", "wollten"]


@pytest.mark.parametrize("modal", MODALS)
def test_modal_verbs_name_no_topic(modal: str) -> None:
    """ "Was wollte Hessen in der Sondersitzung?" asks what Hessen said there at all."""
    for land in _LANDS:
        plan = read_question(f"Was {modal} {land.name} in der Sondersitzung?")
        assert plan.speakers == (land.code,) and plan.topic == "", (modal, land.name, plan.topic)
    plan = read_question(f"Was {modal} Hessen in der Sondersitzung zur Delos Cloud?")
    assert plan.topic == "Delos Cloud"


CLASSES = [
    ("Welche Länder", "land"),
    ("Welche kommunalen Spitzenverbände", "municipal"),
    ("Welche Stellen des Bundes", "federal"),
    ("Welche Ressorts der Bundesregierung", "federal"),
    ("Welche Bundesbehörden", "federal"),
]
# Demands, emphasis and taking something up, as minutes report them: one verb each, with
# a separable part or a reflexive pronoun where German has one.
DEMANDS = [
    "verlangten in der 47. Sitzung {topic}",
    "setzten sich in der 47. Sitzung für {topic} ein",
    "legten in der 47. Sitzung Wert auf {topic}",
    "brachten in der 47. Sitzung {topic} ins Gespräch",
    "unterstrichen in der 47. Sitzung {topic}",
    "hoben in der 47. Sitzung {topic} hervor",
    "griffen in der 47. Sitzung {topic} auf",
    "pochten in der 47. Sitzung auf {topic}",
    "drangen in der 47. Sitzung auf {topic}",
    "bekräftigten in der 47. Sitzung {topic}",
]


@pytest.mark.parametrize(("which", "group"), CLASSES)
@pytest.mark.parametrize("demand", DEMANDS)
def test_a_demand_by_a_class_of_members_is_an_aggregate_over_that_class(
    which: str, group: str, demand: str
) -> None:
    question = f"{which} {demand.format(topic='eine engere Zusammenarbeit')}?"
    plan = read_question(question)
    assert plan.aggregate and plan.speaker_groups == (group,), question
    assert plan.topic == "engere Zusammenarbeit", (question, plan.topic)
    assert plan.session == "47"


@pytest.mark.parametrize(
    "which",
    [
        "Which parts of the federal government",
        "Which federal bodies",
        "Which federal ministries",
    ],
)
@pytest.mark.parametrize(
    "demand",
    ["pressed for", "pushed for", "underlined", "took up", "advocated", "pointed to"],
)
def test_english_demands_by_federal_bodies(which: str, demand: str) -> None:
    plan = read_question(f"{which} {demand} closer cooperation at the 47th session?")
    assert plan.aggregate and plan.speaker_groups == ("federal",), (which, demand)
    assert plan.topic == "closer cooperation", (which, demand, plan.topic)


@pytest.mark.parametrize(
    "question",
    [
        "Was sagte die Bundesregierung in der Sondersitzung zur Delos Cloud?",
        "In what format does the federal government want to discuss the cooperation?",
    ],
)
def test_the_federal_government_alone_is_a_speaker_not_a_class(question: str) -> None:
    plan = read_question(question)
    assert not plan.aggregate and plan.speaker_groups == (), question


def test_dafuer_announcing_a_clause_is_no_stance() -> None:
    plan = read_question("Welche Länder setzten sich dafür ein, den Weg fortzusetzen?")
    assert plan.aggregate and plan.stance == "none"
    assert plan.topic == "Weg fortzusetzen"
    assert (
        read_question("Welche Länder sprachen sich in der Sondersitzung dafür aus?").stance == "for"
    )
    assert read_question("Wer sprach sich dafür aus?").stance == "for"


def test_a_speech_word_inside_a_compound_stays_in_the_topic() -> None:
    plan = read_question("Wer hat den IMK-Bericht erstellt?")
    assert "IMK-Bericht" in plan.topic.split()
    plan = read_question("Was steht zur Sahara-Strategie im Bericht?")
    assert "Sahara-Strategie" in plan.topic.split()


COPULAS = ["war", "waren", "ist", "sind"]


@pytest.mark.parametrize("copula", COPULAS)
@pytest.mark.parametrize(
    ("stance_phrase", "stance"),
    [
        ("gegen einen Beschluss", "against"),
        ("dagegen", "against"),
        ("für das Schreiben an SAP", "for"),
        ("dafür", "for"),
    ],
)
@pytest.mark.parametrize("who", ["Welche Länder", "Wer", "Welche Stellen des Bundes"])
def test_a_stance_stated_with_a_copula_is_an_aggregate_with_that_stance(
    who: str, copula: str, stance_phrase: str, stance: str
) -> None:
    question = f"{who} {copula} in der Sondersitzung {stance_phrase}?"
    plan = read_question(question)
    assert plan.aggregate and plan.stance == stance, question
    assert not {"gegen", "dagegen", "dafür", "für"} & set(plan.topic.split()), plan.topic


@pytest.mark.parametrize(
    ("question", "stance"),
    [
        ("Who was against adopting a resolution at the special session?", "against"),
        ("Which Länder were in favour of the letter?", "for"),
        ("Who was in favour of it?", "for"),
    ],
)
def test_an_english_stance_with_a_copula(question: str, stance: str) -> None:
    plan = read_question(question)
    assert plan.aggregate and plan.stance == stance, question
    assert "favour" not in plan.topic and "against" not in plan.topic


@pytest.mark.parametrize(
    "question",
    [
        "Welche Länder sind für die Umsetzung zuständig?",
        "Wer ist für das Projekt Unternehmenskonto verantwortlich?",
        "Welche Länder sind gegen Cyberangriffe versichert?",
    ],
)
def test_a_preposition_before_an_adjective_is_no_stance(question: str) -> None:
    plan = read_question(question)
    assert not plan.aggregate and plan.stance == "none", question


@pytest.mark.parametrize(
    ("question", "session"),
    [
        ("What did Hamburg say at the 2025 Delos special session?", "sonder"),
        ("What did Hamburg say at the 2025 special session?", "sonder"),
        ("Was sagte Hamburg in der 2025er Sondersitzung?", "sonder"),
        ("Was sagte Hamburg in der Sondersitzung 2025?", "sonder"),
        ("What did Hamburg say at the 2025 session?", None),
    ],
)
def test_a_year_before_or_after_the_session_noun_qualifies_it(
    question: str, session: str | None
) -> None:
    plan = read_question(question)
    assert plan.session == session and (plan.date_from, plan.date_to) == (
        "2025-01-01",
        "2025-12-31",
    ), question
    assert "2025" not in plan.topic


def test_a_year_qualifies_its_own_session_where_several_are_named() -> None:
    plan = read_question(
        "Welche Länder haben sowohl in der Delos-Sondersitzung 2024 als auch in der "
        "47. Sitzung 2025 das Wort ergriffen?"
    )
    assert plan.session == "47" and plan.date_from == "2025-01-01"
    plan = read_question("Was sagte Bayern in der 47. Sitzung 2024?")
    assert plan.session == "47" and plan.date_from == "2024-01-01"


LEAD_INS = (
    "Für meinen Vermerk: ",
    "Kurze Frage: ",
    "Ich suche alles zum Thema Cloud. ",
    "Zur Sondersitzung – ",
    "Noch eine Frage; ",
)
WHO_QUESTIONS = (
    "Wer hat die Kurzfristigkeit kritisiert?",
    "wer hat Open Desk erwähnt?",
    "Wer sprach sich gegen den Beschluss aus?",
    "wer hat die Geschäftsordnung zum Thema gemacht?",
    "Wer hat geschildert, wie die Länder vorgehen?",
)


def test_who_after_a_lead_in_asks_who() -> None:
    for lead in LEAD_INS:
        for question in WHO_QUESTIONS:
            plan = read_question(lead + question)
            assert plan.aggregate and plan.speakers == (), lead + question


def test_who_after_a_fronted_phrase_asks_who() -> None:
    for lead in ("At the Delos special session, ", "In the Schwerin session, ", "Back in 2024, "):
        for question in ("who brought up Microsoft?", "who talked about exercises?"):
            assert read_question(lead + question).aggregate, lead + question


def test_who_after_a_lead_in_naming_speakers_asks_about_them() -> None:
    for lead in ("Landkreistag gegen Bund bei der DIN SPEC: ", "Bayern und Hessen – "):
        for question in ("Wer hat welche Position vertreten?", "wer hat was gesagt?"):
            plan = read_question(lead + question)
            assert not plan.aggregate and plan.speakers, lead + question


def test_a_who_inside_the_sentence_after_a_speaker_is_no_aggregate() -> None:
    plan = read_question("Was sagte Bayern dazu, wer die Kosten der Delos Cloud trägt?")
    assert plan.speakers == ("BY",) and not plan.aggregate


def test_both_sides_as_alternatives_ask_for_no_stance() -> None:
    sides = ("egal ob dafür oder dagegen", "ob für oder gegen den Beschluss", "pro oder contra")
    for side in sides:
        for question in (
            f"Wer hat sich in der Sondersitzung zur Eile geäußert, {side}?",
            f"Welche Länder haben zum Beschluss Stellung genommen, {side}?",
            f"Was sagte Bayern zum Beschluss, {side}?",
        ):
            assert read_question(question).stance == "none", question
    for question in ("Who spoke on the resolution, for or against?",):
        assert read_question(question).stance == "none"
    assert read_question("Wer war dagegen?").stance == "against"


def test_participles_with_ge_are_speech_acts() -> None:
    for participle in ("geschildert", "gedankt", "gemeint", "gefragt", "gewünscht"):
        plan = read_question(f"Welche Länder haben in der 47. Sitzung dazu etwas {participle}?")
        assert plan.aggregate and participle not in plan.topic, participle
        plan = read_question(f"Was hat Hessen in der 47. Sitzung zur Cybersicherheit {participle}?")
        assert plan.asks_speech and participle not in plan.topic, participle


def test_a_session_heading_the_question_sets_its_scene() -> None:
    for heading in (
        "Zur 47. Sitzung: ",
        "Zur 47. Sitzung – ",
        "Zur 47. Sitzung 2025: ",
        "On the 47th session, ",
    ):
        plan = read_question(heading + "Wer hat Lagebilder erwähnt?")
        assert plan.session == "47" and "47" not in plan.topic.split(), heading
    # inside the sentence "zur 47. Sitzung" is what was said about it
    assert read_question("Was sagte der Bund zur 45. Sitzung?").session is None


def test_the_subject_naming_a_special_session_is_not_the_topic() -> None:
    for subject in ("Delos", "Cloud", "Microsoft", "SAP"):
        for question, topic in (
            (
                f"Was sagte Hessen in der {subject}-Sondersitzung zur Registermodernisierung?",
                "Registermodernisierung",
            ),
            (
                f"What did Hesse say at the {subject} special session about the Online Access Act?",
                "Online Access Act",
            ),
            (
                f"Wer hat in der {subject}-Sondersitzung von Abhängigkeiten gesprochen?",
                "Abhängigkeiten",
            ),
        ):
            plan = read_question(question)
            assert plan.session == "sonder" and plan.topic == topic, question
    # a subject asked about in its own words stays
    plan = read_question(
        "Was sagte Hessen in der Delos-Sondersitzung zu den Kosten der Delos Cloud?"
    )
    assert "Delos" in plan.topic and "Kosten" in plan.topic


def test_where_in_the_session_is_no_topic() -> None:
    for phrase in (
        "towards the end of the meeting",
        "near the end of the session",
        "later in the meeting",
    ):
        plan = read_question(f"What did Hamburg recommend {phrase}?")
        assert plan.position == "end" and plan.topic == "", phrase
    for phrase in ("später in der Sitzung", "im weiteren Verlauf der Sitzung"):
        plan = read_question(f"Was empfahl Hamburg {phrase}?")
        assert plan.position == "end" and plan.topic == "", phrase


def test_a_special_session_asked_about_stays_in_the_topic() -> None:
    for question in (
        "Warum wurde die Sondersitzung laut Bund einberufen?",
        "Warum sah NRW die Voraussetzungen für eine Sondersitzung nicht erfüllt?",
        "Wie verlief die Sondersitzung?",
    ):
        plan = read_question(question)
        assert plan.session == "sonder" and "Sondersitzung" in plan.topic, question
    for question in (
        "Was sagte Bayern in der Sondersitzung zur Delos Cloud?",
        "Was empfahl Hamburg am Ende der Sondersitzung?",
        "Was wollte der Bund nach der Sondersitzung klären?",
        "Was sagte Hessen in der 2024er Sondersitzung zur Delos Cloud?",
        "What did Hesse want to know during the June 2024 special session?",
        "Had Rhineland-Palatinate talked to Delos before the special session?",
    ):
        plan = read_question(question)
        assert plan.session == "sonder", question
        assert not {"Sondersitzung", "special"} & set(plan.topic.split()), question


def test_an_abbreviation_in_the_genitive_is_an_object() -> None:
    for name, code in (("BSI", "BSI"), ("BMI", "BMI"), ("BKAmt", "BKAmt")):
        if REGISTRY.get(code) is None:
            continue
        plan = read_question(f"Wie reagierte Hessen in der 47. Sitzung auf das Angebot des {name}?")
        assert plan.speakers == ("HE",), name
    # the representative of a body speaks for it
    assert read_question("Was sagte der Vertreter des BSI in der 47. Sitzung?").speakers == ("BSI",)


def test_a_separable_verb_is_cut_however_far_its_particle_stands() -> None:
    filler = "in der 47. Sitzung beim Austausch mit dem Bundesamt für Sicherheit in der Informationstechnik"
    for verb, particle in (
        ("hob", "hervor"),
        ("griff", "auf"),
        ("brachte", "zur Sprache"),
        ("machte", "aufmerksam"),
    ):
        plan = read_question(f"Was {verb} Brandenburg {filler} {particle}?")
        words = set(plan.topic.split())
        assert plan.asks_speech and verb not in words, verb
        assert not set(particle.split()) & words, verb
    plan = read_question(f"Worauf legte Brandenburg {filler} besonderen Wert?")
    assert not {"legte", "Wert", "besonderen"} & set(plan.topic.split())


def test_the_others_as_an_object_leave_the_speaker_asked_about() -> None:
    for question, code in (
        ("Was sagte Bayern zu den anderen Ländern?", "BY"),
        ("Hatte Sachsen-Anhalt Verständnis für die Kritik der anderen Länder?", "ST"),
        ("Hat Sachsen-Anhalt den anderen Ländern recht gegeben?", "ST"),
        ("Welchen Äußerungen der anderen Länder stimmte Berlin zu?", "BE"),
        ("Did Bavaria agree with the other states?", "BY"),
    ):
        plan = read_question(question)
        assert plan.speakers == (code,) and not plan.aggregate, question


def test_the_others_besides_a_named_speaker_are_a_list_without_them() -> None:
    for question in (
        "Was sagten außer Bayern die anderen Länder in der Sondersitzung?",
        "What did the other states apart from Bavaria say at the special session?",
    ):
        plan = read_question(question)
        assert plan.aggregate and plan.excluded == ("BY",) and plan.speaker_groups == ("land",)
        assert plan.speakers == () and plan.session == "sonder", question


@pytest.mark.parametrize(
    "question",
    [
        "Was empfahl Hamburg der Runde zum Abschluss?",
        "Worum bat das BSI die Runde?",
        "Auf welche Lage wollte der DStGB die Runde aufmerksam machen?",
        "Was berichtete der Bund den Runden?",
    ],
)
def test_the_round_addressed_is_the_meeting_not_a_topic(question: str) -> None:
    """ "die Runde" is the assembly, like "die Sitzung"; a named round keeps its name."""
    assert "Runde" not in read_question(question).topic.split()
    named = read_question(question.replace("die Runde", "die Steuerungsrunde"))
    assert "Runde" not in named.topic or "Steuerungsrunde" in named.topic
    assert "AL-Runde" in read_question("Was wurde in der 39. AL-Runde besprochen?").topic


# classes as objects or inside another phrase: the which-word does not govern them
CLASS_OBJECTS = [
    ("die Kommunen", "the municipalities"),
    ("die Länder", "the states"),
    ("die kommunalen Spitzenverbände", "the municipal associations"),
    ("die Bundesministerien", "the federal ministries"),
]
ASIDES = [
    ("Wer hat – egal unter welchem TOP – {obj} erwähnt?", "de"),
    ("Wer hat in Schwerin, ganz gleich in welchem Zusammenhang, {obj} angesprochen?", "de"),
    ("Welche Redner haben, egal bei welchem Thema, {obj} kritisiert?", "de"),
    ("Welche Teilnehmer haben {obj} erwähnt?", "de"),
    ("Regardless of which agenda item, who mentioned {obj}?", "en"),
    ("No matter which topic, which speakers criticised {obj}?", "en"),
]


@pytest.mark.parametrize(("template", "language"), ASIDES)
def test_a_class_the_which_word_does_not_govern_restricts_no_one(
    template: str, language: str
) -> None:
    for german, english in CLASS_OBJECTS:
        question = template.format(obj=german if language == "de" else english)
        plan = read_question(question)
        assert plan.aggregate and plan.speaker_groups == (), question


@pytest.mark.parametrize(
    ("question", "groups"),
    [
        ("Welche Länder haben die Kommunen erwähnt?", ("land",)),
        ("Welche kommunalen Spitzenverbände kritisierten die Länder?", ("municipal",)),
        ("Welche Länder und kommunalen Spitzenverbände äußerten sich?", ("land", "municipal")),
        (
            "Welche Länder, Kommunen oder Stellen des Bundes sprachen?",
            ("land", "municipal", "federal"),
        ),
        ("Welche Vertreter der Kommunen ergriffen das Wort?", ("municipal",)),
        ("Welche der anderen Länder sprachen?", ("land",)),
        ("Which states and municipal associations spoke?", ("land", "municipal")),
        ("Which states mentioned the municipalities?", ("land",)),
    ],
)
def test_the_classes_are_what_the_which_word_governs(
    question: str, groups: tuple[str, ...]
) -> None:
    assert read_question(question).speaker_groups == groups


@pytest.mark.parametrize(
    "verb", ["backed", "supported", "endorsed", "welcomed", "unterstützte", "befürwortete"]
)
def test_who_took_a_side_asks_for_every_speaker_with_that_stance(verb: str) -> None:
    for lead, thing in itertools.product(
        ("Who", "Who at the 47th session", "Wer", "Wer in der Sondersitzung"),
        ("the idea", "a municipal situation picture", "die Idee", "ein kommunales Lagebild"),
    ):
        plan = read_question(f"{lead} {verb} {thing}?")
        assert plan.aggregate and plan.stance == "for", (lead, verb, thing)
