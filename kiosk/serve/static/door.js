// The door page: the tablet's camera, frames to the hub, and reconnecting by itself.
// Frames are drawn to a canvas, sent to the hub one at a time and then forgotten: no frame
// is kept by the page. The page tells the hub whether its camera is on ({"camera": "off"}
// when the browser refused it), so the door app's ready card says how else to scan.
// With ?probe=1 the page records what the terminal received, for the
// browser tests and the benchmark (text only, in memory).
"use strict";
(function () {
  const body = document.body;
  const session = body.dataset.session;
  const wsBase = (location.protocol === "https:" ? "wss://" : "ws://") + location.host;
  const params = new URLSearchParams(location.search);
  const probe = params.get("probe") === "1" ? {
    text: "", since: "", lastPaint: 0, frames: [], cameraState: "",
  } : null;
  window.kioskProbe = probe;
  const FRAME_GAP_MS = 80;   // at most ~12 frames a second
  // Frames go as JPEG at most 1280 px wide, quality 0.95: measured (bench_serve.py) to read
  // benchmarks/bench_scanner.py's frames as well as the local camera path; 800 px or
  // quality 0.85 read fewer. ?width=, ?quality= and ?type=png are for measuring others.
  const FRAME_WIDTH = Math.min(1920, Number(params.get("width")) || 1280);
  const FRAME_TYPE = params.get("type") === "png" ? "image/png" : "image/jpeg";
  const QUALITY = Math.min(1, Number(params.get("quality")) || 0.95);
  let closed = false;

  if (probe) {
    const Native = window.WebSocket;
    const decoder = new TextDecoder();
    window.WebSocket = function (url, protocols) {
      const socket = new Native(url, protocols);
      if (String(url).indexOf("/ws/") >= 0) {
        socket.addEventListener("message", function (event) {
          if (typeof event.data === "string") return;
          const text = decoder.decode(event.data, { stream: true });
          requestAnimationFrame(function () {  // the terminal paints in this frame
            probe.lastPaint = performance.now();
            probe.text = (probe.text + text).slice(-400000);
            probe.since = (probe.since + text).slice(-400000);
          });
        });
      }
      return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  }

  // --- reconnecting ---------------------------------------------------------------
  function reconnecting() {
    if (closed) return;
    closed = true;
    document.getElementById("reconnecting").hidden = false;
    const poll = function () {
      fetch("/health", { cache: "no-store" }).then(function (r) {
        if (r.ok) location.reload(); else setTimeout(poll, 1000);
      }, function () { setTimeout(poll, 1000); });
    };
    setTimeout(poll, 500);
  }
  new MutationObserver(function () {
    if (body.classList.contains("-closed")) reconnecting();
  }).observe(body, { attributes: true, attributeFilter: ["class"] });

  if (body.dataset.camera !== "1") return;

  // --- the camera -----------------------------------------------------------------
  const video = document.getElementById("video");
  const card = document.getElementById("camera-card");
  const startButton = document.getElementById("camera-start");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: false });
  let socket = null;
  let sentAt = 0;
  let cameraOn = null;  // told to the hub, and so to the door app: true, false, or not known

  function say(text) {
    card.textContent = text;
    card.hidden = !text;
    if (probe) probe.cameraState = text || "on";
  }

  // The door app's ready card says when the camera is off (kiosk-camera:off on the hub).
  function tellHub() {
    if (socket && socket.readyState === 1 && cameraOn !== null) {
      socket.send(JSON.stringify({ camera: cameraOn ? "on" : "off" }));
    }
  }

  function cameraOff(text) {
    say(text);
    cameraOn = false;
    if (socket) tellHub(); else cameraSocket();
  }

  function cameraSocket() {
    if (closed) return;
    socket = new WebSocket(wsBase + "/camera/" + session);
    socket.binaryType = "arraybuffer";
    socket.onopen = function () { tellHub(); if (cameraOn) sendFrame(); };
    socket.onmessage = function (event) {
      const answer = JSON.parse(event.data);
      if (probe) probe.frames.push([sentAt, performance.now(), answer.codes, answer.seen]);
      setTimeout(sendFrame, FRAME_GAP_MS);
    };
    socket.onclose = function () { socket = null; setTimeout(cameraSocket, 1000); };
  }

  function sendFrame() {
    if (!socket || socket.readyState !== 1 || !cameraOn) return;
    if (!video.videoWidth || video.paused) { setTimeout(sendFrame, 200); return; }
    const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    sentAt = performance.now();
    canvas.toBlob(function (blob) {
      if (blob && socket && socket.readyState === 1) socket.send(blob);
      else setTimeout(sendFrame, 200);
    }, FRAME_TYPE, QUALITY);
  }

  function play() {
    video.play().then(function () {
      startButton.hidden = true;
      say("");
      const was = cameraOn;
      cameraOn = true;
      if (!socket) cameraSocket();
      else if (!was) { tellHub(); sendFrame(); }
    }, function () {
      startButton.hidden = false;  // this browser wants a tap before video plays
    });
  }
  startButton.addEventListener("click", play);

  function useStream(stream) {
    video.srcObject = stream;
    play();
  }
  if (probe) probe.useStream = useStream;

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraOff("This browser gives the page no camera. Show your pass to the handheld " +
              "scanner, or a member of staff types the code.");
    return;
  }
  navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 },
             height: { ideal: 720 } },
  }).then(useStream, function (error) {
    cameraOff("The camera is not available (" + (error && error.name || "refused") + "). " +
              "Show your pass to the handheld scanner, or a member of staff types the code.");
  });
})();
