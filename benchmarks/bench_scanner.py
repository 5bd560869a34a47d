"""Scanner benchmark: the decoding schedule on the door-camera set, on clips and on photos.

    .venv/bin/python benchmarks/bench_scanner.py                   # 16 frames a class and size
    .venv/bin/python benchmarks/bench_scanner.py --quick           # a quick look (5 a class)
    .venv/bin/python benchmarks/bench_scanner.py --photos DIR      # plus real photographs
    KIOSK_QR_PHOTOS=DIR .venv/bin/python benchmarks/bench_scanner.py --clips 8

Frames are generated in memory (benchmarks/scanner_frames.py, fixed seed) and each one is
given to every decoder in turn, so machine noise hits all of them alike: the fast pass
alone (`zxing`), zxing-cpp with its default settings (`zxing-default`), the camera
schedule on the first frame of a presentation (`zxing+schedule`), every alternative as
for a still image (`zxing+all`, what `kiosk scan-image` does), and OpenCV. Then each
alternative is tried alone on every frame the fast pass missed (its rescue rate and cost),
the camera path is run over clips at 30 fps (ms per 1280x720 frame, time from a pass
appearing to its read), and, given a folder (scanner_photos.py says which and how it was
obtained), the real photographs and their code-free copies are read. Times are wall ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scanner_frames as frames_mod  # sibling scripts, not a package
import scanner_photos as photos_mod

from kiosk.scanner.alternatives import View
from kiosk.scanner.decode import EVERY_ALTERNATIVE, QR_FORMATS, Decoder, ZxingDecoder
from kiosk.scanner.opencv_decode import OpenCVDecoder
from kiosk.scanner.results import DecodedCode
from kiosk.scanner.zxing_read import decoded

TARGETS = {"real_photos": 95.0, "p95_720p_ms": 10.0, "appear_p95_ms": 300.0}
FPS = 30.0
CLIP_FRAMES = 15  # half a second of a pass in view
EMPTY_CLIP_FRAMES = 60


class ZxingDefault:
    """zxing-cpp alone with its default settings (full-size QR only), the reference."""

    name = "zxing-default"

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """One read_barcodes call with the library's defaults."""
        return decoded(zxingcpp.read_barcodes(image, formats=QR_FORMATS), self.name)


class FirstFrame(ZxingDecoder):
    """The camera schedule on a fresh presentation: what one frame gets within its budget."""

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Forget the previous frame (another shot), then decode like the camera."""
        self.reset()
        return super().decode(image)


DECODERS: dict[str, Callable[[], Decoder]] = {
    "zxing-default": ZxingDefault,
    "zxing": lambda: ZxingDecoder(retry=False),
    "zxing+schedule": FirstFrame,
    "zxing+all": lambda: ZxingDecoder(still=True),
    "opencv": OpenCVDecoder,
    "opencv-aruco": lambda: OpenCVDecoder(aruco=True),
}
DEFAULT_DECODERS = "zxing-default,zxing,zxing+schedule,zxing+all,opencv"


@dataclass
class Outcome:
    """One decoder on one frame."""

    cls: str
    size: tuple[int, int]
    coded: bool
    beyond: bool
    ok: bool
    bad: int  # reads in a frame without codes, or of a payload that is not there
    ms: float


@dataclass
class Trial:
    """One alternative alone on a frame the fast pass missed."""

    rescued: bool
    bad: int
    ms: float
    local_ms: float | None  # the same around the sightings only, as the camera runs it


def judge(expected: list[bytes], codes: list[DecodedCode]) -> tuple[bool, int]:
    """(every expected code read, false or wrong reads)."""
    got = [c.raw for c in codes]
    return set(expected) <= set(got), sum(1 for raw in got if raw not in expected)


def timed(fn: Callable[..., list[DecodedCode]], *args: object
          ) -> tuple[list[DecodedCode], float]:
    t0 = time.perf_counter()
    out = fn(*args)
    return out, (time.perf_counter() - t0) * 1e3


def run_frames(per_class: int, seed: int, names: list[str]
               ) -> tuple[dict[str, list[Outcome]], dict[str, list[Trial]], list[str], int]:
    """Every decoder on every frame, then each alternative alone where the fast pass missed."""
    decoders = {name: DECODERS[name]() for name in names}
    fast = ZxingDecoder()
    results: dict[str, list[Outcome]] = defaultdict(list)
    trials: dict[str, list[Trial]] = defaultdict(list)
    bad_reads: list[str] = []
    count = 0
    for frame in frames_mod.generate(per_class, seed):
        count += 1
        for name, decoder in decoders.items():
            codes, ms = timed(decoder.decode, frame.image)
            ok, bad = judge(frame.expected, codes)
            results[name].append(Outcome(frame.cls, frame.size, bool(frame.expected),
                                         frame.beyond, ok, bad, ms))
            bad_reads += [f"{name}: {frame.cls} expected {frame.expected or 'nothing'}, read "
                          f"{c.raw[:40]!r}" for c in codes if c.raw not in frame.expected]
        grey, found, seen = fast.fast_pass(frame.image)
        if grey is None or judge(frame.expected, found)[0]:
            continue
        for alt in EVERY_ALTERNATIVE:
            if alt.needs_sighting and not seen:
                continue
            codes, ms = timed(alt.run, View(grey, seen))
            local_ms = timed(alt.run, View(grey, seen, local=True))[1] if seen else None
            ok, bad = judge(frame.expected, found + codes)
            trials[alt.name].append(Trial(ok, bad, ms, local_ms))
        if count % 100 == 0:
            print(f"  ... {count} frames", file=sys.stderr)
    return results, trials, bad_reads, count


def pct(hits: int, total: int) -> str:
    return f"{100.0 * hits / total:5.1f}%" if total else "    - "


def rate(outs: list[Outcome]) -> str:
    return pct(sum(o.ok for o in outs), len(outs))


def med_p95(values: list[float]) -> tuple[float, float]:
    if not values:
        return float("nan"), float("nan")
    return statistics.median(values), float(np.percentile(values, 95))


def print_summary(results: dict[str, list[Outcome]]) -> None:
    """Per decoder: codes read overall (beyond-reach classes apart), bad reads, timing."""
    print("\n## Overall, synthetic set (ms = wall per frame incl. grey conversion)")
    head = (f"{'decoder':15} {'all codes':>9} {'beyond':>7} {'false/wrong':>11} "
            f"{'720p med/p95 ms':>16} {'720p empty med/p95':>19}")
    print(head)
    print("-" * len(head))
    for name, outs in results.items():
        coded = [o for o in outs if o.coded and not o.beyond]
        beyond = [o for o in outs if o.beyond]
        hd = [o for o in outs if o.size == (1280, 720)]
        m, p = med_p95([o.ms for o in hd if o.coded])
        em, ep = med_p95([o.ms for o in hd if not o.coded])
        print(f"{name:15} {rate(coded):>9} {rate(beyond):>7} {sum(o.bad for o in outs):11} "
              f"{m:7.2f}/{p:8.2f} {em:9.2f}/{ep:9.2f}")


def print_classes(results: dict[str, list[Outcome]]) -> None:
    """Per class: success (empty classes: % with no read) and median ms, every decoder."""
    names = list(results)
    print("\n## Per class: % read (empty classes: % with no read), median ms per frame")
    head = f"{'class':14} {'n':>4} " + " ".join(f"{n:>16}" for n in names)
    print(head)
    print("-" * len(head))
    for cls in frames_mod.CLASSES:
        outs = {n: [o for o in results[n] if o.cls == cls] for n in names}
        row = f"{cls:14} {len(outs[names[0]]):4} "
        row += " ".join(f"{rate(o):>7} {med_p95([x.ms for x in o])[0]:7.2f}ms"
                        for o in outs.values())
        print(row + ("  (beyond reach)" if cls in frames_mod.BEYOND_CLASSES else ""))


def print_alternatives(trials: dict[str, list[Trial]], results: dict[str, list[Outcome]]
                       ) -> None:
    """Each alternative alone on the frames the fast pass missed: rescues, bad reads, cost."""
    missed = sum(1 for o in results.get("zxing", []) if o.coded and not o.ok)
    print(f"\n## Per alternative, synthetic set: alone on the {missed} code frames the fast "
          "pass missed")
    print(f"{'alternative':20} {'tried':>5} {'rescued':>8} {'rate':>6} {'bad':>4} "
          f"{'ms med/p95 (whole)':>19} {'ms med/p95 (crop)':>18}")
    for alt in EVERY_ALTERNATIVE:
        ts = trials.get(alt.name, [])
        m, p = med_p95([t.ms for t in ts])
        lm, lp = med_p95([t.local_ms for t in ts if t.local_ms is not None])
        print(f"{alt.name:20} {len(ts):5} {sum(t.rescued for t in ts):8} "
              f"{pct(sum(t.rescued for t in ts), len(ts)):>6} {sum(t.bad for t in ts):4} "
              f"{m:8.2f}/{p:8.2f} {lm:8.2f}/{lp:8.2f}")


def run_clips(per_class: int, seed: int) -> None:
    """The camera path over clips at 30 fps: ms per frame and time from appearing to read."""
    decoder = ZxingDecoder()
    coded_ms: list[float] = []
    cpu_ms: list[float] = []
    latency: dict[str, list[float | None]] = defaultdict(list)
    for cls in frames_mod.CODE_CLASSES:
        for i in range(per_class):
            decoder.reset()
            read_at = None
            for k, frame in enumerate(frames_mod.clip(cls, seed, i, CLIP_FRAMES)):
                cpu0 = time.thread_time()
                codes, ms = timed(decoder.decode, frame.image)
                cpu_ms.append((time.thread_time() - cpu0) * 1e3)
                coded_ms.append(ms)
                if read_at is None and judge(frame.expected, codes)[0]:
                    read_at = k * 1000.0 / FPS + ms
            latency[cls].append(read_at)
    empty_ms, empty_cpu = [], []
    decoder.reset()
    for frame in frames_mod.generate(max(2, per_class), seed + 1, classes=frames_mod.EMPTY_CLASSES):
        if frame.size == (1280, 720):
            for _ in range(max(1, EMPTY_CLIP_FRAMES // (2 * max(2, per_class)))):
                cpu0 = time.thread_time()
                empty_ms.append(timed(decoder.decode, frame.image)[1])
                empty_cpu.append((time.thread_time() - cpu0) * 1e3)
    print(f"\n## Camera path (zxing+schedule, budget {decoder.budget_ms:g} ms) over clips of "
          f"{CLIP_FRAMES} frames at {FPS:g} fps, 1280x720, {per_class} clips a class")
    print(f"{'class':14} {'read':>7} {'appear->read med/p95 ms':>24}")
    every: list[float] = []
    for cls, values in latency.items():
        got = [v for v in values if v is not None]
        every += [v if v is not None else float("inf") for v in values
                  if cls not in frames_mod.BEYOND_CLASSES]
        m, p = med_p95(got)
        print(f"{cls:14} {pct(len(got), len(values)):>7} {m:11.0f}/{p:5.0f}")
    finite = sorted(every)
    p95 = finite[min(len(finite) - 1, int(0.95 * len(finite)))] if finite else float("nan")
    em, ep = med_p95(empty_ms)
    cm, cp = med_p95(coded_ms)
    read_any = [v for v in every if v != float("inf")]
    print(f"per 1280x720 frame: empty med {em:.2f} / p95 {ep:.2f} ms ({len(empty_ms)} frames); "
          f"with a code med {cm:.2f} / p95 {cp:.2f} ms ({len(coded_ms)} frames); "
          f"thread CPU p95: with a code {med_p95(cpu_ms)[1]:.2f} ms, "
          f"empty {med_p95(empty_cpu)[1]:.2f} ms")
    print(f"appear->read (classes in reach, {len(every)} clips): read in "
          f"{pct(len(read_any), len(every))}, median {statistics.median(read_any):.0f} ms, "
          f"p95 {p95:.0f} ms (unread = never)")
    verdict("p95 per 1280x720 frame with a code", cp, TARGETS["p95_720p_ms"], "ms")
    verdict("p95 thread CPU per 1280x720 frame with a code (what a quiet machine sees)",
            med_p95(cpu_ms)[1], TARGETS["p95_720p_ms"], "ms")
    verdict("p95 per 1280x720 empty frame", ep, TARGETS["p95_720p_ms"], "ms")
    verdict("p95 thread CPU per 1280x720 empty frame", med_p95(empty_cpu)[1],
            TARGETS["p95_720p_ms"], "ms")
    verdict("appear->read p95", p95, TARGETS["appear_p95_ms"], "ms")
    print("alternatives on the camera path (tried, rescued, mean ms): " + ", ".join(
        f"{n} {s.tried}/{s.rescued}/{s.total_ms / max(1, s.tried):.1f}"
        for n, s in decoder.stats.items()))


def verdict(what: str, value: float, target: float, unit: str, above: bool = False) -> None:
    good = value >= target if above else value < target
    sign = ">=" if above else "<"
    print(f"{'MET ' if good else 'MISS'} {what}: {value:.2f} {unit} (target {sign} {target:g})")


def run_photos(root: Path, step: int, offset: int = 0) -> None:
    """Real photographs: symbols read per category, unlabelled reads, code-free false reads."""
    decoders: dict[str, Decoder] = {"zxing-default": ZxingDefault(),
                                    "zxing": ZxingDecoder(retry=False),
                                    "zxing+all (scan-image)": ZxingDecoder(still=True)}
    scores = {name: photos_mod.PhotoResult() for name in decoders}
    false_reads: list[str] = []
    cpu: dict[str, list[float]] = defaultdict(list)  # process CPU ms (all threads) a photo
    payloads: dict[tuple[str, int], set[bytes]] = defaultdict(set)
    photos = list(photos_mod.photos(root))[offset::step]
    for n, photo in enumerate(photos):
        image = photos_mod.load(photo)
        if image is None:
            continue
        for name, decoder in decoders.items():
            cpu0 = time.process_time()
            codes, ms = timed(decoder.decode, image)
            cpu[name].append((time.process_time() - cpu0) * 1e3)
            for i in scores[name].add(photo, photos_mod.centres(codes), ms):
                payloads[(str(photo.path), i)] |= {
                    c.raw for c in codes if photos_mod.matched(photos_mod.centre(c), photo) == i}
        blank = photos_mod.code_free(image, photo, n)
        false_reads += [f"{photo.category}/{photo.path.name}: {c.raw[:40]!r}"
                        for c in decoders["zxing+all (scan-image)"].decode(blank)]
        if (n + 1) % 100 == 0:
            print(f"  ... {n + 1} photos", file=sys.stderr)
    print(f"\n## Real photographs: {root} ({len(photos)} photos, "
          f"{scores['zxing'].rate()[1]} labelled symbols; see scanner_photos.py for the source)")
    names = list(scores)
    print(f"{'category':14} {'symbols':>7} " + " ".join(f"{n:>22}" for n in names))
    for cat in sorted(scores["zxing"].read):
        print(f"{cat:14} {scores['zxing'].rate(cat)[1]:7} "
              + " ".join(f"{pct(*scores[n].rate(cat)):>22}" for n in names))
    print(f"{'overall':14} {scores['zxing'].rate()[1]:7} "
          + " ".join(f"{pct(*scores[n].rate()):>22}" for n in names))
    print(f"{'whole photos':14} {scores['zxing'].whole[1]:7} "
          + " ".join(f"{pct(*scores[n].whole):>22}" for n in names)
          + "   (every labelled symbol in the photo read)")
    print("median/p95 ms per photo: " + ", ".join(
        f"{n} {med_p95(s.ms)[0]:.0f}/{med_p95(s.ms)[1]:.0f}" for n, s in scores.items()))
    print("median/p95 process CPU ms per photo (all threads; what a quiet machine waits): "
          + ", ".join(f"{n} {med_p95(v)[0]:.0f}/{med_p95(v)[1]:.0f}" for n, v in cpu.items()))
    stats = decoders["zxing+all (scan-image)"].stats  # type: ignore[attr-defined]
    print("per alternative, in scan-image order: symbols it read that nothing before it had, "
          "mean ms a photo")
    for name, st in stats.items():
        print(f"  {name:20} {st.rescued:4} {st.total_ms / max(1, st.tried):8.1f} ms")
    mixed = [k for k, v in payloads.items() if len(v) > 1]
    print(f"symbols read with two different payloads by any decoder: {len(mixed)} (must be 0)")
    stray = scores["zxing+all (scan-image)"].unlabelled
    print(f"reads outside every labelled symbol (zxing+all): {len(stray)} {stray[:3]}")
    print(f"false reads on the {len(photos)} code-free copies (zxing+all): {len(false_reads)} "
          f"{false_reads[:3]}")
    scores["zxing+all (scan-image)"].print_misses()
    read, total = scores["zxing+all (scan-image)"].rate()
    like, like_total = scores["zxing+all (scan-image)"].rate_excluding(photos_mod.NOT_PASS_LIKE)
    print(f"pass-like subset (all categories but {', '.join(sorted(photos_mod.NOT_PASS_LIKE))}):"
          f" {pct(like, like_total)} of {like_total} symbols; all symbols: {pct(read, total)}")
    verdict("real photographs read by scan-image", 100.0 * read / max(1, total),
            TARGETS["real_photos"], "%", above=True)


def run_synthetic(per_class: int, seed: int, names: list[str]) -> None:
    """The synthetic set: every decoder, then each alternative alone where the fast pass missed."""
    results, trials, bad_reads, count = run_frames(per_class, seed, names)
    print(f"{count} frames ({per_class} per class and size, seed {seed}); tokens in the "
          "real pass format (version 3, ECC Q)")
    print_summary(results)
    print_classes(results)
    print_alternatives(trials, results)
    print(f"\nfalse or wrong reads, every decoder and alternative: {len(bad_reads)} "
          f"{bad_reads[:3]}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 frames a class and size")
    parser.add_argument("--per-class", type=int, default=16, help="frames per class and size")
    parser.add_argument("--clips", type=int, default=4, help="camera clips per class")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--decoders", default=DEFAULT_DECODERS,
                        help=f"comma-separated subset of {', '.join(DECODERS)}")
    parser.add_argument("--photos", default=None,
                        help=f"folder of labelled real photos (or ${photos_mod.ENV})")
    parser.add_argument("--photo-step", type=int, default=1, help="use every Nth photo")
    parser.add_argument("--photo-offset", type=int, default=0,
                        help="start at this photo (with --photo-step: another sample)")
    parser.add_argument("--no-frames", action="store_true",
                        help="skip the synthetic set and the clips (photos only)")
    parser.add_argument("--clips-only", action="store_true",
                        help="of the synthetic set, run the camera clips only")
    args = parser.parse_args(argv)
    per_class = 5 if args.quick else args.per_class
    names = [n.strip() for n in args.decoders.split(",") if n.strip()]
    unknown = [n for n in names if n not in DECODERS]
    if unknown:
        parser.error(f"unknown decoder(s): {', '.join(unknown)}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("# Scanner benchmark")
    print(f"zxing-cpp {metadata.version('zxing-cpp')}, OpenCV {cv2.__version__}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f} at start "
          "(shared machine: wall times are noisy)")
    started = time.perf_counter()
    if not args.no_frames:
        if not args.clips_only:
            run_synthetic(per_class, args.seed, names)
        run_clips(2 if args.quick else args.clips, args.seed)
    root = photos_mod.folder(args.photos)
    if root is None:
        print(f"\n(no real photographs: give --photos DIR or ${photos_mod.ENV})")
    else:
        run_photos(root, 4 if args.quick else args.photo_step, args.photo_offset)
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
