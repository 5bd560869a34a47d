"""Invented exports shaped like those of the MIS UK schools use (names, emails invented).

Each layout comes with the flags it needs and the `may_film` every pupil must end with.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Layout:
    """One export: its bytes, the flags an office needs, and the expected outcome."""

    name: str
    data: bytes
    may_film: dict[str, bool]
    flags: tuple[str, ...] = ()
    families: tuple[tuple[str, ...], ...] = ()  # pupil ids that must share a family
    apart: tuple[tuple[str, ...], ...] = ()  # pupil ids that must not
    suffix: str = ".csv"
    held: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def _csv(rows: list[list[str]], *, delimiter: str = ",", quote_all: bool = False,
         encoding: str = "utf-8", bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode(encoding)


def sims() -> Layout:
    """SIMS: one row per ticked Parental Consent times each contact; cp1252, all quoted."""
    header = ["Adno", "Legal Surname", "Legal Forename", "Preferred Forename", "Reg Group",
              "Year", "Parental Consent", "Contact Forename", "Contact Surname",
              "Contact Relationship", "Contact Priority", "Contact Parental Responsibility",
              "Contact Email", "Contact Mobile", "Court Order"]
    obrien = [["Máire", "O'Brien", "Mother", "1", "Yes", "maire.obrien@example.org",
               "07700 900301", "No"],
              ["Seán", "O'Brien", "Father", "2", "Yes", "", "07700 900302", "No"]]
    pupils = [
        (["001201", "O'Brien", "Siân", "", "3B", "3"], ["Photograph Student", "School Trips"],
         obrien),
        (["001202", "O'Brien", "Oisín", "Ossie", "1B", "1"], ["School Trips"], obrien),
        (["001203", "Müller", "Zoë", "", "RW", "R"], [""],
         [["Jürgen", "Müller", "Father", "1", "Yes", "j.muller@example.net", "", "No"]]),
        (["001204", "D'Souza", "Renée", "", "2W", "2"], ["Photograph Student"],
         [["Priya", "D'Souza", "Mother", "1", "Yes", "priya@example.com", "", "No"],
          ["Kwame", "Asante", "Social Worker", "2", "No", "k.asante@council.example", "",
           "No"]]),
        (["001205", "Adeyemi", "Tóbi", "", "2W", "2"], ["Photograph Student", "Swimming"],
         [["Folake", "Adeyemi", "Mother", "1", "Yes", "folake@example.net", "", "No"],
          ["Kwame", "Asante", "Social Worker", "2", "No", "k.asante@council.example", "",
           "No"]]),
    ]
    rows = [header]
    for pupil, consents, contacts in pupils:
        rows += [[*pupil, consent, *contact] for consent in consents for contact in contacts]
    return Layout(
        "SIMS", _csv(rows, quote_all=True, encoding="cp1252"),
        {"001201": True, "001202": False, "001203": False, "001204": True, "001205": True},
        families=(("001201", "001202"),), apart=(("001204", "001205"),), held=1,
    )


def arbor() -> Layout:
    """Arbor custom report: one column per consent type, Confirmed / Declined / Pending."""
    rows = [
        ["Student ID", "UPN", "Legal First Name", "Preferred First Name", "Legal Last Name",
         "Registration Form", "Year Group", "Primary Guardian", "Primary Guardian Email",
         "Primary Guardian Mobile", "Consent: Photographs", "Consent: School Trips"],
        ["1001", "A100000000101", "Łucja", "", "Kowalska", "4K", "Year 4", "Ewa Kowalska",
         "ewa.k@example.org", "07700 900401", "Confirmed", "Confirmed"],
        ["1002", "A100000000102", "Jan", "Janek", "Kowalski", "2K", "Year 2", "Ewa Kowalska",
         "EWA.K@example.org", "07700 900401", "Declined", "Confirmed"],
        ["1003", "A100000000103", "Chloë", "", "Brontë", "4K", "Year 4", "Anne Brontë",
         "anne@example.net", "", "Pending", ""],
        ["1004", "A100000000104", "Dáithí", "", "Ó Sé", "1K", "Year 1", "Nóra Ní Shé",
         "nora@example.com", "", "", "Declined"],
    ]
    return Layout("Arbor", _csv(rows, bom=True),
                  {"1001": True, "1002": False, "1003": False, "1004": False},
                  families=(("1001", "1002"),))


def juniper() -> Layout:
    """Juniper / Pupil Asset: Granted / Not Granted / Requested / Not Requested, PR flags."""
    rows = [
        ["School ID", "Forename", "Surname", "Class", "Year", "Photo Permission",
         "Contact 1 Name", "Contact 1 Relationship", "Contact 1 Parental Responsibility",
         "Contact 1 Email", "Contact 2 Name", "Contact 2 Relationship",
         "Contact 2 Parental Responsibility", "Contact 2 Email"],
        ["J101", "Ana-Lúcia", "Ferreira", "Oak", "5", "Granted", "Inês Ferreira", "Mother",
         "Yes", "ines@example.org", "Janet Hale", "Childminder", "No", "janet@example.net"],
        ["J102", "Mateus", "Ferreira", "Ash", "3", "Not Granted", "Inês Ferreira", "Mother",
         "Yes", "ines@example.org", "", "", "", ""],
        ["J103", "Éowyn", "O'Neill", "Oak", "5", "Requested", "Rory O'Neill", "Father", "Yes",
         "rory@example.com", "Janet Hale", "Childminder", "No", "janet@example.net"],
        ["J104", "Bríd", "O'Neill", "Elm", "1", "Not Requested", "Rory O'Neill", "Father",
         "Yes", "rory@example.com", "", "", "", ""],
    ]
    return Layout("Juniper / Pupil Asset", _csv(rows),
                  {"J101": True, "J102": False, "J103": False, "J104": False},
                  families=(("J101", "J102"), ("J103", "J104")), apart=(("J101", "J103"),),
                  held=1)


def parentmail() -> Layout:
    """ParentMail-style import: one row per contact, identical pupil details."""
    head = ["PupilID", "PupilForename", "PupilSurname", "Class", "YearGroup", "Photo Consent",
            "ContactForename", "ContactSurname", "PrimaryEmail", "MobileNumber", "Priority"]
    rows = [head,
            ["P1", "Ciarán", "Ó Briain", "3S", "3", "Y", "Aoife", "Ó Briain",
             "aoife@example.org", "07700 900501", "1"],
            ["P1", "Ciarán", "Ó Briain", "3S", "3", "Y", "Dónal", "Ó Briain", "",
             "07700 900502", "2"],
            ["P2", "Niamh", "Ó Briain", "RS", "R", "Y", "Dónal", "Ó Briain", "",
             "07700 900502", "1"],
            ["P3", "Zoë", "Ng", "3S", "3", "", "Mei", "Ng", "mei@example.com", "", "1"],
            ["P4", "Amélie", "Dubois-Smith", "1S", "1", "N", "Claire", "Dubois",
             "claire@example.net", "", "1"],
            ["P4", "Amélie", "Dubois-Smith", "1S", "1", "N", "Tom", "Smith", "tom@example.net",
             "", "2"]]
    return Layout("ParentMail", _csv(rows),
                  {"P1": True, "P2": True, "P3": False, "P4": False},
                  families=(("P1", "P2"),))


def schoolbooking() -> Layout:
    """SchoolBooking: one row per contact; a breakfast club's booking address on every child."""
    rows = [["Student ID", "First Name", "Last Name", "Class", "Year", "Contact First Name",
             "Contact Last Name", "Contact Email", "Contact Mobile", "Priority",
             "Photo Consent"]]
    names = ["Seán", "Zoë", "Chloë", "Renée", "Øyvind", "Siân", "Joaquín", "Mairéad"]
    may = {}
    for number, name in enumerate(names, start=1):
        pid = f"S{number:02d}"
        answer = "Yes" if number % 2 else "No"
        may[pid] = answer == "Yes"
        base = [pid, name, f"O'Kelly-{number}", "2C", "2"]
        rows.append([*base, "Parent", f"Kelly-{number}", f"p{number}@example.org", "", "1",
                     answer])
        rows.append([*base, "Breakfast", "Club", "bookings@club.example", "07700 900600",
                     "2", answer])
    return Layout("SchoolBooking", _csv(rows), may, apart=(tuple(may),), held=1)


def isams() -> Layout:
    """iSAMS saved in a European locale: semicolons; Opted In / Opted Out; joint contacts."""
    rows = [
        ["School Id", "Forename", "Preferred Name", "Surname", "Form", "NC Year",
         "Photographs and Video", "Contact 1 Name", "Contact 1 Email"],
        ["I-77", "Élodie", "", "Dupont", "7DA", "7", "Opted In", "Mr & Mrs Dupont",
         "dupont@example.fr"],
        ["I-78", "Théo", "", "Dupont", "9DA", "9", "Opted Out", "Mr & Mrs Dupont",
         "dupont@example.fr"],
        ["I-79", "Saoirse", "Sersha", "Ó Ceallaigh", "8KF", "8", "Opted In",
         "David & Sarah Ó Ceallaigh", "ocs@example.ie"],
    ]
    return Layout("iSAMS", _csv(rows, delimiter=";", encoding="cp1252"),
                  {"I-77": True, "I-78": False, "I-79": True}, families=(("I-77", "I-78"),))


def scholarpack() -> Layout:
    """ScholarPack print-style report: titles, a blank line, a footer, tiered answers."""
    body = _csv([
        ["UPN", "Forename", "Surname", "Class", "Year", "Photo Consent"],
        ["K801", "Gráinne", "Nic Aodha", "Wrens", "4", "Yes - all uses"],
        ["K802", "Łukasz", "Wiśniewski", "Wrens", "4", "Yes - internal use only"],
        ["K803", "Ffion", "ap Rhys", "Robins", "2", "No"],
        ["K804", "Mírzá", "D'Arcy", "Robins", "2", ""],
    ])
    data = (b"Willowbrook Primary School,,,,,\r\nPupil Photo Consent - printed 01/12/2026,,,,,\r\n"
            b",,,,,\r\n" + body + b",,,,,\r\nTotal: 4 students,,,,,\r\n,,,,,\r\n")
    return Layout(
        "ScholarPack", data, {"K801": True, "K802": False, "K803": False, "K804": False},
        flags=("--value", "Yes - all uses=granted", "--value",
               "Yes - internal use only=refused"),
    )


def excel_first() -> bytes:
    """The export as first imported (ids with leading zeros, a name with Ł)."""
    return _csv([
        ["Adno", "Forename", "Surname", "Reg Group", "Photo Consent", "Contact 1 Email"],
        ["001188", "Łukasz", "Nowak", "5N", "Yes", "nowak@example.org"],
        ["00402", "Zoë", "Nowak", "2N", "Yes", "nowak@example.org"],
        ["000777", "Aoife", "Byrne", "2N", "No", "byrne@example.org"],
    ])


def excel_resaved() -> Layout:
    """The same export after Excel: zeros stripped, one id kept as ="00402", "?" for "Ł"."""
    data = _csv([
        ["Adno", "Forename", "Surname", "Reg Group", "Photo Consent", "Contact 1 Email"],
        ["1188", "?ukasz", "Nowak", "5N", "Yes", "nowak@example.org"],
        ['="00402"', "Zoë", "Nowak", "2N", "Yes", "nowak@example.org"],
        ["'000777", "Aoife", "Byrne", "2N", "No", "byrne@example.org"],
    ], encoding="cp1252")
    return Layout("Excel re-save", data, {"001188": True, "00402": True, "000777": False},
                  families=(("001188", "00402"),))


def xlsx() -> Layout:
    """An Arbor-style report kept as .xlsx: numbers as numbers, a date cell, a notes sheet."""
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Exported from the MIS for the kiosk"])
    sheet = book.create_sheet("Students")
    sheet.append(["Student ID", "Legal First Name", "Legal Last Name", "Registration Form",
                  "Consent: Photographs", "Consent Expiry", "Primary Guardian Email"])
    sheet.append([5001, "Anaïs", "Le Bon", "6L", "Confirmed", datetime(2030, 8, 31),
                  "lebon@example.fr"])
    sheet.append([5002, "Éabha", "Ní Bhriain", "6L", "Confirmed", datetime(2025, 8, 31),
                  "eabha@example.ie"])
    sheet.append([5003, "Rhodri", "Llŷr", "3L", "Declined", None, "llyr@example.org"])
    out = io.BytesIO()
    book.save(out)
    return Layout(".xlsx", out.getvalue(), {"5001": True, "5002": False, "5003": False},
                  flags=("--sheet", "Students"), suffix=".xlsx")


LAYOUTS = (sims, arbor, juniper, parentmail, schoolbooking, isams, scholarpack, excel_resaved,
           xlsx)
