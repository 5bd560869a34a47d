"""Scanner: frame sources, QR decoding, one scan per presentation, terminal preview.

Modules (import what you need; this package file stays light so importing a value type
does not load OpenCV):

- results: DecodedCode, Frame, ScanEvent, ScannerStatus (plain value types)
- sources: CameraSource, VideoFileSource, ImageSequenceSource, open_source, SourceUnavailable
- demo: DemoSource (shows demo passes on request, no camera needed)
- decode: ZxingDecoder / default_decoder: the fast zxing-cpp pass and the decoding
  schedule (camera: alternatives in turn while a symbol is seen unread; still: all)
- alternatives: the measured alternative attempts (binarisers, scales, contrast, crops,
  OpenCV's curved-surface decoder); zxing_read: the zxing-cpp primitives they share
- cvquiet: keeps OpenCV's own log lines off the terminal
- dedup: Deduplicator, KeyboardScans (handheld scanners typing the code)
- preview: render_halfblock -> HalfBlockImage (a Rich renderable)
- service: ScanService (the background thread delivering ScanEvents)
- (kiosk.demo.synth, kiosk.demo.optics: synthetic camera views for the demo and benchmark)

No module here writes an image anywhere (a test checks the source code).
"""
