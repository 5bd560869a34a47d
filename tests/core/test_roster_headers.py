"""Roster import: header spellings, --map, and single-cell values."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.consent import Value
from kiosk.roster import RosterError
from kiosk.roster.headers import ALIASES, FIELDS, map_headers, normalise_header, parse_overrides
from kiosk.roster.problems import IgnoredColumn
from kiosk.roster.values import normalise_year, parse_date, phone_key, unwrap_id
from kiosk.roster.vocabulary import Vocabulary, parse_values

BASIC = ["Adno", "Forename", "Legal Surname", "Reg Group", "Photo Consent"]


def mapped(headers: list[str], overrides: list[str] | None = None) -> dict[str, str]:
    return map_headers(headers, parse_overrides(overrides or [])).mapped


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Forename", "first_name"), ("Preferred Forename", "preferred_name"),
        ("Legal Surname", "surname"), ("Reg Group", "class"), ("Registration Group", "class"),
        ("Year Group", "year_group"), ("Adno", "pupil_id"), ("Admission Number", "pupil_id"),
        ("UPN", "pupil_id"), ("Photo Consent", "consent_event_recording"),
        ("Photograph Student", "consent_event_recording"),
        ("Contact 1 Forename", "guardian1_forename"), ("Contact 1 Surname", "guardian1_surname"),
        ("Contact 1 Relationship", "guardian1_relationship"),
        ("Contact 1 Email", "guardian1_email"), ("Contact 1 Mobile", "guardian1_phone"),
        ("Contact 2 Mobile", "guardian2_phone"), ("Parent 2 Email Address", "guardian2_email"),
        ("Household ID", "family_id"), ("Consent Expiry Date", "consent_expires"),
        ("  REG   group ", "class"), ("reg_group", "class"),
        ("PHOTOGRAPH-STUDENT", "consent_event_recording"),
    ],
)
def test_common_mis_spellings_map_case_and_space_insensitively(header: str, field: str) -> None:
    others = [h for h in BASIC if ALIASES[normalise_header(h)][0] != field]
    assert map_headers([*others, header], {}).mapped[header] == field


def test_every_field_name_maps_to_itself() -> None:
    assert set(mapped(list(FIELDS)).values()) == set(FIELDS) - {"consent_list"}
    assert set(mapped([f for f in FIELDS if f != "consent_event_recording"]).values()) == (
        set(FIELDS) - {"consent_event_recording"})


def test_exact_field_name_wins_over_an_alias() -> None:
    found = map_headers([*BASIC, "class"], {})
    assert found.mapped["class"] == "class"
    assert IgnoredColumn("Reg Group", "class is taken from 'class'") in found.ignored


def test_admission_number_is_preferred_to_upn() -> None:
    found = map_headers(["UPN", *BASIC], {})
    assert found.mapped["Adno"] == "pupil_id"
    assert "UPN" not in found.mapped
    assert found.ignored[0].column == "UPN"


def test_unknown_headers_are_reported_as_ignored() -> None:
    found = map_headers([*BASIC, "Ethnicity", ""], {})
    assert IgnoredColumn("Ethnicity", "not a roster field") in found.ignored
    assert len(found.ignored) == 1


def test_map_option_names_any_column() -> None:
    headers = ["Adno", "Forename", "Legal Surname", "Teaching Grp", "Photo Consent"]
    with pytest.raises(RosterError, match='--map "Header Name=class"'):
        mapped(headers)
    assert mapped(headers, ["teaching grp=class"])["Teaching Grp"] == "class"


def test_map_overrides_automatic_mapping() -> None:
    found = map_headers([*BASIC, "Year"], parse_overrides(["Reg Group=year_group", "Year=class"]))
    assert found.mapped["Reg Group"] == "year_group"
    assert found.mapped["Year"] == "class"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["Reg Group"], "must look like"),
        (["Reg Group=klass"], "'klass' is not a roster field"),
        (["=class"], "column name is empty"),
    ],
)
def test_bad_map_items_are_plain_errors(items: list[str], message: str) -> None:
    with pytest.raises(RosterError, match=message):
        parse_overrides(items)


def test_map_naming_a_missing_column_is_an_error() -> None:
    with pytest.raises(RosterError, match="not in the file"):
        mapped(BASIC, ["Tutor=class"])


def test_guardian_whole_name_beats_parts() -> None:
    found = map_headers([*BASIC, "Contact 1 Forename", "Contact 1 Surname", "Contact 1 Name"], {})
    assert found.columns["guardian1_name"] == 7
    assert "guardian1_forename" not in found.columns


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("Yes", Value.GRANTED), ("y", Value.GRANTED), ("GRANTED", Value.GRANTED),
        ("Given", Value.GRANTED), ("True", Value.GRANTED), ("1", Value.GRANTED),
        ("T", Value.GRANTED), ("Opted In", Value.GRANTED), ("Confirmed", Value.GRANTED),
        (" yes ", Value.GRANTED), ("opted  in.", Value.GRANTED),
        ("No", Value.REFUSED), ("n", Value.REFUSED), ("Refused", Value.REFUSED),
        ("Withheld", Value.REFUSED), ("FALSE", Value.REFUSED), ("F", Value.REFUSED),
        ("0", Value.REFUSED), ("Not Granted", Value.REFUSED), ("Not Given", Value.REFUSED),
        ("Opted Out", Value.REFUSED), ("Declined", Value.REFUSED),
        ("", Value.NOT_RETURNED), ("Pending", Value.NOT_RETURNED),
        ("Requested", Value.NOT_RETURNED), ("Not Requested", Value.NOT_RETURNED),
        ("maybe", None), ("Yes - all uses", None), ("Yes - internal use only", None),
        ("Granted (website only)", None),
    ],
)
def test_consent_words_are_matched_whole_never_searched(cell: str, value: Value | None) -> None:
    assert Vocabulary().answer(cell) == value


def test_school_words_given_with_value_win() -> None:
    words = parse_values(["Yes - all uses=granted", "Yes - internal use only=refused",
                          "Y=not_returned"])
    assert words.answer("yes - ALL uses") is Value.GRANTED
    assert words.answer("Yes - internal use only") is Value.REFUSED
    assert words.answer("Y") is Value.NOT_RETURNED


@pytest.mark.parametrize(
    ("items", "message"),
    [(["Yes"], "must look like"), (["Yes=maybe"], "granted, refused or not_returned"),
     (["=granted"], "is empty")],
)
def test_bad_value_items_are_plain_errors(items: list[str], message: str) -> None:
    with pytest.raises(RosterError, match=message):
        parse_values(items)


def test_a_ticked_photograph_value_grants_and_a_refusal_wins() -> None:
    words = parse_values(["No Photos=refused"])
    assert words.list_answer({"Photograph Student", "School Trips"}) is Value.GRANTED
    assert words.list_answer({"School Trips"}) is Value.NOT_RETURNED
    assert words.list_answer(set()) is Value.NOT_RETURNED
    assert words.list_answer({"Photograph Student", "No Photos"}) is Value.REFUSED


@pytest.mark.parametrize(
    ("cell", "pupil_id"),
    [('="00402"', "00402"), ("'00402", "00402"), (" 00402 ", "00402"), ("=1+1", "=1+1")],
)
def test_ids_kept_as_text_by_excel_are_unwrapped(cell: str, pupil_id: str) -> None:
    assert unwrap_id(cell) == pupil_id


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2027-08-31", date(2027, 8, 31)), ("31/08/2027", date(2027, 8, 31)),
        ("1/9/2027", date(2027, 9, 1)), ("31-08-2027", date(2027, 8, 31)),
        ("31.08.2027", date(2027, 8, 31)), ("31/08/2027 00:00", date(2027, 8, 31)),
        ("2027-08-31T00:00:00", date(2027, 8, 31)),
    ],
)
def test_iso_and_uk_dates(cell: str, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [("08/31/27", "unknown consent date format"), ("Aug 2027", "unknown consent date format"),
     ("31/02/2027", "not a real date"), ("31/08-2027", "unknown consent date format")],
)
def test_bad_dates_say_why(cell: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "year"),
    [("R", "Reception"), ("Rec", "Reception"), ("YR", "Reception"), ("3", "Year 3"),
     ("Y3", "Year 3"), ("Year 3", "Year 3"), ("NC Year 6", "Year 6"), ("Year 03", "Year 3"),
     ("Nursery", "Nursery"), ("Lower School", "Lower School"), ("", "")],
)
def test_year_groups_are_normalised(cell: str, year: str) -> None:
    assert normalise_year(cell) == year


def test_phone_numbers_compare_by_digits() -> None:
    assert phone_key("07700 900123") == phone_key("+44 7700 900123") == phone_key("00447700900123")
