"""The decoding schedule: alternatives only for unread sightings, in turn, held, all for stills."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from kiosk.demo import synth
from kiosk.demo.synth import camera_view
from kiosk.passes.token import encode_token
from kiosk.scanner.alternatives import ALTERNATIVES, SCOUTS, Alternative, Scout, View
from kiosk.scanner.decode import ZxingDecoder, default_decoder
from kiosk.scanner.results import DecodedCode

TOKEN = encode_token(bytes(range(16)))


class Recorder:
    """Fake alternatives that note which of them ran, and can rescue on request."""

    def __init__(self, count: int, rescue_by: str | None = None) -> None:
        self.calls: list[str] = []
        self.rescue_by = rescue_by
        self.alternatives = [Alternative(f"alt{i}", self._runner(f"alt{i}"))
                             for i in range(count)]

    def _runner(self, name: str) -> Callable[[View], list[DecodedCode]]:
        def run(view: View) -> list[DecodedCode]:
            self.calls.append(name)
            if name != self.rescue_by or not view.sightings:
                return []
            quad = view.sightings[0]
            return [DecodedCode(TOKEN, TOKEN.encode(), quad, name)]
        return run


def unreadable_symbol(seed: int = 3) -> np.ndarray:
    """A real symbol layout whose data modules are random: seen by zxing-cpp, never read."""
    rng = np.random.default_rng(seed)
    matrix = synth.qr_matrix(TOKEN)
    data = np.ones_like(matrix)
    data[:13, :13] = data[:13, -13:] = data[-13:, :13] = False
    data[10, :] = data[:, 10] = False
    matrix = np.where(data, rng.random(matrix.shape) < 0.5, matrix)
    cells = np.where(matrix, 0, 255).astype(np.uint8)
    return np.kron(cells, np.ones((6, 6), np.uint8))


def test_the_fast_pass_reports_a_symbol_it_could_not_read() -> None:
    grey, found, seen = ZxingDecoder().fast_pass(unreadable_symbol())
    assert grey is not None and found == [] and len(seen) == 1


def test_an_empty_frame_never_runs_an_alternative() -> None:
    recorder = Recorder(3)
    decoder = ZxingDecoder(alternatives=recorder.alternatives)
    for seed in range(3):
        assert decoder.decode(camera_view([], seed=seed)) == []
    assert recorder.calls == []


def test_a_read_pass_runs_no_alternative() -> None:
    recorder = Recorder(3)
    decoder = ZxingDecoder(alternatives=recorder.alternatives)
    assert [c.text for c in decoder.decode(camera_view([TOKEN], seed=1))] == [TOKEN]
    assert recorder.calls == []


def test_alternatives_take_turns_across_frames_while_a_symbol_is_seen() -> None:
    recorder = Recorder(4)
    decoder = ZxingDecoder(alternatives=recorder.alternatives, budget_ms=0)
    frame = unreadable_symbol()
    for _ in range(6):
        assert decoder.decode(frame) == []
    assert recorder.calls == ["alt0", "alt1", "alt2", "alt3", "alt0", "alt1"]
    assert decoder.stats["alt0"].tried == 2 and decoder.stats["alt3"].tried == 1


def test_a_generous_budget_tries_every_alternative_in_one_frame() -> None:
    recorder = Recorder(4)
    decoder = ZxingDecoder(alternatives=recorder.alternatives, budget_ms=1e6)
    decoder.decode(unreadable_symbol())
    assert recorder.calls == ["alt0", "alt1", "alt2", "alt3"]


def test_a_sighting_is_held_for_a_few_frames_then_dropped() -> None:
    recorder = Recorder(2)
    decoder = ZxingDecoder(alternatives=recorder.alternatives, budget_ms=0, hold_frames=2)
    empty = np.full((200, 200), 255, np.uint8)
    decoder.decode(unreadable_symbol())  # seen: alt0
    decoder.decode(empty)  # held: alt1
    decoder.decode(empty)  # held: alt0
    decoder.decode(empty)  # dropped
    decoder.decode(empty)
    assert recorder.calls == ["alt0", "alt1", "alt0"]


def test_the_alternative_that_rescued_goes_first_next_frame() -> None:
    recorder = Recorder(3, rescue_by="alt1")
    decoder = ZxingDecoder(alternatives=recorder.alternatives, budget_ms=0)
    frame = unreadable_symbol()
    assert decoder.decode(frame) == []
    assert [c.text for c in decoder.decode(frame)] == [TOKEN]
    assert [c.text for c in decoder.decode(frame)] == [TOKEN]
    assert recorder.calls == ["alt0", "alt1", "alt1"]
    assert decoder.stats["alt1"].rescued == 2


def test_a_still_image_tries_every_alternative_at_once() -> None:
    recorder = Recorder(3)
    crop_only = Alternative("crop", lambda view: recorder.calls.append("crop") or [],
                            needs_sighting=True)
    still = ZxingDecoder(still=True, alternatives=[*recorder.alternatives, crop_only])
    still.decode(np.full((200, 200), 255, np.uint8))  # nothing seen: crops are skipped
    assert recorder.calls == ["alt0", "alt1", "alt2"]
    recorder.calls.clear()
    still.decode(unreadable_symbol())
    assert recorder.calls == ["alt0", "alt1", "alt2", "crop"]


def test_the_default_decoders_and_their_names() -> None:
    camera, still = default_decoder(), default_decoder(still=True)
    assert isinstance(camera, ZxingDecoder) and not camera.still
    assert isinstance(still, ZxingDecoder) and still.still
    assert ZxingDecoder(retry=False).name == "zxing" and camera.name == "zxing+schedule"
    names = [a.name for a in ALTERNATIVES]
    assert len(names) == len(set(names))


def faint_noisy_print(seed: int = 1) -> np.ndarray:
    """Grey ink on grey paper with sensor noise: the fast pass sees it but cannot read it."""
    cells = np.where(synth.qr_matrix(TOKEN), 100, 125).astype(np.float32)
    image = np.kron(cells, np.ones((6, 6), np.float32))
    noise = np.random.default_rng(seed).normal(0, 6, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def test_the_real_alternatives_rescue_what_the_fast_pass_misses() -> None:
    frame = faint_noisy_print()
    assert ZxingDecoder(retry=False).decode(frame) == []
    assert ZxingDecoder().fast_pass(frame)[2]  # ... though it saw it
    assert [c.text for c in ZxingDecoder(still=True).decode(frame)] == [TOKEN]
    camera = ZxingDecoder(budget_ms=0)  # one alternative a frame
    reads = [[c.text for c in camera.decode(frame)] for _ in range(len(ALTERNATIVES))]
    assert [TOKEN] in reads
    assert all(r in ([], [TOKEN]) for r in reads)
    assert sum(s.rescued for s in camera.stats.values()) >= 1
    assert "curved" not in camera.stats  # over a camera frame's budget: stills only


def dim_screen(seed: int = 0) -> np.ndarray:
    """A phone at low brightness in a lit hall: a near-black symbol the fast pass never sees."""
    cells = np.pad(np.where(synth.qr_matrix(TOKEN), 10, 24).astype(np.uint8), 4,
                   constant_values=24)
    frame = np.full((480, 640), 170, np.uint8)
    symbol = np.kron(cells, np.ones((6, 6), np.uint8))
    frame[100:100 + symbol.shape[0], 200:200 + symbol.shape[1]] = symbol
    frame = cv2.GaussianBlur(frame, (0, 0), 1.2)
    noise = np.random.default_rng(seed).normal(0, 1.5, frame.shape)
    return np.clip(frame + noise, 0, 255).astype(np.uint8)


def test_a_scout_reads_a_dim_screen_the_fast_pass_does_not_even_see() -> None:
    frame = dim_screen()
    grey, found, seen = ZxingDecoder().fast_pass(frame)
    assert grey is not None and found == [] and seen == ()
    for scout in SCOUTS:
        codes, _ = scout.run(grey)
        assert [c.text for c in codes] == [TOKEN], scout.name
    camera = ZxingDecoder()
    assert [c.text for c in camera.decode(frame)] == [TOKEN]
    assert camera.stats[SCOUTS[0].name].rescued == 1


def test_scouts_take_turns_only_while_nothing_is_seen_or_read() -> None:
    calls: list[str] = []

    def scout(name: str) -> Scout:
        return Scout(name, lambda grey: calls.append(name) or grey)

    recorder = Recorder(1)
    decoder = ZxingDecoder(alternatives=recorder.alternatives, budget_ms=0, hold_frames=1,
                           scouts=[scout("s0"), scout("s1")])
    empty = np.full((200, 200), 255, np.uint8)
    for _ in range(3):
        decoder.decode(empty)
    assert calls == ["s0", "s1", "s0"]
    decoder.decode(camera_view([TOKEN], seed=1))  # read by the fast pass: no scout
    decoder.decode(unreadable_symbol())  # seen by the fast pass: the alternatives run
    decoder.decode(empty)  # the sighting is held: still no scout
    assert calls == ["s0", "s1", "s0"] and recorder.calls == ["alt0", "alt0"]
    decoder.decode(empty)
    assert calls == ["s0", "s1", "s0", "s1"]
    assert ZxingDecoder(still=True).scouts == () and ZxingDecoder(retry=False).scouts == ()
