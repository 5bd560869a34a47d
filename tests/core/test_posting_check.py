"""The posting check: consent per channel, names attached, GPS, clean copies, the record."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.consent import State
from kiosk.errors import NotFound, PermissionDenied
from kiosk.posting.check import PostingCheck, PostingError, check_photo
from kiosk.posting.faces import FaceCount
from kiosk.posting.metadata import read_metadata
from kiosk.posting.report import posting_checks
from kiosk.store import Store
from support.photo_files import exif_block, iptc_block, write_jpeg, xmp_packet
from support.posting_school import STATES, build_posting_school
from support.violations_school import KIOSK, School


@pytest.fixture
def school(store: Store, now: datetime) -> School:
    return build_posting_school(store, now)


def _check(school: School, now: datetime, **kwargs) -> PostingCheck:
    args = {"channel": "website", "staff_id": school.staff["lead"], "now": now,
            "kiosk_id": KIOSK}
    return check_photo(school.store, **{**args, **kwargs})


@pytest.mark.parametrize(("pupil", "state"), sorted(STATES.items()))
def test_every_consent_state_on_the_website(school: School, now: datetime, pupil: str,
                                            state: str) -> None:
    result = _check(school, now, pupil_ids=[pupil])
    assert result.pupils[0].state is State(state)
    assert result.allowed is (state == "granted")
    assert result.reasons == ([] if state == "granted" else ["consent"])


@pytest.mark.parametrize(("channel", "pupils", "allowed"), [
    ("website", ["p1"], True), ("social_media", ["p1", "p2"], True),
    ("social_media", ["p1", "p4"], False), ("press", ["p1"], False),
])
def test_each_channel_reads_its_own_consent(school: School, now: datetime, channel: str,
                                            pupils: list[str], allowed: bool) -> None:
    assert _check(school, now, channel=channel, pupil_ids=pupils).allowed is allowed


def test_a_class_gives_the_count_and_first_names_to_leave_out(school: School,
                                                              now: datetime) -> None:
    result = _check(school, now, classes=["1B"])
    assert [p.id for p in result.pupils] == ["p1", "p3", "p4", "p7"]
    assert not result.allowed
    message = result.messages()[0]
    assert message.startswith("3 of 4 pupils may not be posted on the school website")
    assert "Zoë (1B)" in message and "Yusuf (1B)" in message and "Okafor" not in message


def test_an_item_of_an_event_means_everyone_on_stage(school: School, now: datetime) -> None:
    solo = _check(school, now, item="nativity:3")
    assert [p.id for p in solo.pupils] == ["p1"] and solo.allowed
    assert {p.id for p in _check(school, now, item="nativity:1").pupils} == {"p2", "p5", "p6"}
    with pytest.raises(NotFound, match="has no item 9"):
        _check(school, now, item="nativity:9")
    with pytest.raises(PostingError, match="EVENT:N"):
        _check(school, now, item="nativity")


def test_nobody_named_is_no(school: School, now: datetime) -> None:
    result = _check(school, now)
    assert result.reasons == ["nobody_named"]


def test_unknown_pupils_and_classes_are_clear_errors(school: School, now: datetime) -> None:
    with pytest.raises(NotFound, match="no pupil with id 'p99'"):
        _check(school, now, pupil_ids=["p99"])
    with pytest.raises(NotFound, match="class '9Z'"):
        _check(school, now, classes=["9Z"])


def test_a_steward_may_not_check(school: School, now: datetime) -> None:
    with pytest.raises(PermissionDenied):
        _check(school, now, pupil_ids=["p1"], staff_id=school.staff["steward"])


@pytest.mark.parametrize(("caption", "found"), [
    ("Amelia Okafor as Mary", "amelia okafor"),
    ("AMELIA OKAFOR as Mary", "amelia okafor"),
    ("Zoe Lukasiewicz and friends", "zoe lukasiewicz"),  # another pupil's full name
    ("Well done Amelia!", "amelia"),  # first name of the pupil in the photo
    ("Okafor, Amelia", "okafor amelia"),
    ("Yusuf Okafor on stage", "yusuf okafor"),  # a first name with a surname
])
def test_names_in_the_caption_make_it_no(school: School, now: datetime, caption: str,
                                         found: str) -> None:
    result = _check(school, now, pupil_ids=["p1"], caption=caption)
    assert "names_attached" in result.reasons
    assert [h.text for h in result.names] == [found]


def test_an_ordinary_word_that_is_a_first_name_of_a_pupil_not_in_it_is_fine(
    school: School, now: datetime
) -> None:
    school.store.families.upsert_pupil({"id": "p8", "family_id": "F1", "first_name": "Grace",
                                        "surname": "Baker", "class_name": "2W",
                                        "year_group": "2", "updated_at": "2026-09-01"})
    result = _check(school, now, pupil_ids=["p1"], caption="Amazing grace from Year 1")
    assert result.allowed and result.names == []
    assert not _check(school, now, pupil_ids=["p8"], caption="Amazing grace").allowed


def test_names_in_the_file_name_and_every_metadata_field(school: School, now: datetime,
                                                         tmp_path: Path) -> None:
    plain = write_jpeg(tmp_path / "AmeliaOkafor_nativity.jpg")
    assert [h.source for h in _check(school, now, pupil_ids=["p1"], image=plain).names] == [
        "file name"]
    for exif, iptc, xmp in [
        (exif_block(description="Zoe Lukasiewicz"), None, None),
        (exif_block(xp_comment="Zoë Łukasiewicz"), None, None),
        (exif_block(xp_subject="Lukasiewicz Zoe"), None, None),
        (None, iptc_block(caption="Yusuf Demir sings"), None),
        (None, iptc_block(keywords=("nativity", "Tobi Okafor")), None),
        (None, None, xmp_packet("Mei 王")),
    ]:
        photo = write_jpeg(tmp_path / "photo.jpg", exif=exif, iptc=iptc, xmp=xmp)
        result = _check(school, now, pupil_ids=["p1"], image=photo)
        assert "names_attached" in result.reasons, (exif, iptc, xmp)


def test_gps_is_no_until_cleaned_and_the_clean_copy_has_no_metadata(
    school: School, now: datetime, tmp_path: Path
) -> None:
    original = write_jpeg(tmp_path / "nativity.jpg",
                          exif=exif_block(description="Zoë Łukasiewicz", gps=True, device=True,
                                          thumbnail=True),
                          iptc=iptc_block("Zoë"), xmp=xmp_packet("x"), comment="c")
    before = original.read_bytes()
    dirty = _check(school, now, pupil_ids=["p1"], image=original)
    assert dirty.reasons == ["names_attached", "gps"]
    assert dirty.metadata is not None and dirty.metadata.device and dirty.metadata.thumbnail
    out = tmp_path / "clean.jpg"
    clean = _check(school, now, pupil_ids=["p1"], image=original, clean_out=out)
    assert clean.allowed and clean.cleaned == out
    assert original.read_bytes() == before
    assert read_metadata(out.read_bytes()).empty
    import cv2
    assert cv2.imread(str(out)).shape == cv2.imread(str(original)).shape
    assert out.stat().st_mode & 0o777 == 0o600
    with pytest.raises(PostingError, match="needs a photo"):
        _check(school, now, pupil_ids=["p1"], clean_out=out)


def test_the_clean_copy_never_overwrites_the_original(school: School, now: datetime,
                                                      tmp_path: Path) -> None:
    original = write_jpeg(tmp_path / "a.jpg", exif=exif_block(gps=True))
    before = original.read_bytes()
    from kiosk.posting.images import ImageError

    with pytest.raises(ImageError, match="original is never changed"):
        _check(school, now, pupil_ids=["p1"], image=original, clean_out=original)
    assert original.read_bytes() == before


def test_more_faces_than_pupils_is_told_to_staff() -> None:
    result = PostingCheck("website", [], faces=FaceCount(5, "yunet"))
    assert "5 more faces than pupils named: check nobody else is in it." in result.messages()
    unknown = PostingCheck("website", [], faces=FaceCount(None, "none"))
    assert any("could not be counted" in m for m in unknown.messages())


def test_each_check_is_audited_without_names_or_the_image(school: School, now: datetime,
                                                          tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "Zoe_Lukasiewicz.jpg")
    _check(school, now, pupil_ids=["p1", "p3"], image=photo, caption="Amelia Okafor")
    _check(school, now, channel="social_media", pupil_ids=["p1"])
    entries = school.store.audit.entries_of_actions(("photo.checked",))
    assert len(entries) == 2
    text = json.dumps(entries).casefold()
    for word in ("amelia", "okafor", "zoe", "lukasiewicz", "jpg"):
        assert word not in text
    report = posting_checks(school.store)
    assert [(r["staff"], r["channel"], r["pupils"], r["answer"]) for r in report] == [
        ("Lee Lead", "website", 2, "no"), ("Lee Lead", "social_media", 1, "yes")]
    assert report[0]["reasons"] == ["consent", "names_attached"]
