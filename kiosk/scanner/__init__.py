"""Scanner: frame sources, QR decoding, one scan per presentation, terminal preview.

Modules (import what you need; this package file stays light so importing a value type
does not load OpenCV):

- results: DecodedCode, Frame, ScanEvent, ScannerStatus (plain value types)
- sources: CameraSource, VideoFileSource, ImageSequenceSource, open_source, SourceUnavailable
- demo: DemoSource (shows demo passes on request, no camera needed)
- decode: ZxingDecoder / default_decoder (zxing-cpp, chosen by measurement)
- dedup: Deduplicator, KeyboardScans (handheld scanners typing the code)
- preview: render_halfblock -> HalfBlockImage (a Rich renderable)
- service: ScanService (the background thread delivering ScanEvents)
- synth, optics: synthetic camera views for the demo and the benchmark set

No module here writes an image anywhere (a test checks the source code).
"""
