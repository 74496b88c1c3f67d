// The Amethyst web editor: splash, picker, editor and result, wired to the modules that do
// the work. ?engine=NAME in the page's address picks a server engine (default: the server's).

import { EditSession } from "./edit-session.js";
import { explainFailure, InpaintCancelled, requestInpaint } from "./inpaint-request.js";
import { PhotoVersion } from "./photo-decoding.js";
import { listenForPhotos } from "./photo-intake.js";
import { resultName, saveBlob } from "./save-file.js";
import { listenForShortcuts } from "./shortcuts.js";
import { StageGestures } from "./stage-gestures.js";
import { StageView } from "./stage-view.js";
import { ViewTransform } from "./view-transform.js";

const $ = (id) => document.getElementById(id);
const SPLASH_MS = 900;
const SPLASH_SEEN = "amethyst-splash-seen"; // localStorage: the splash greets a first visit only
const BRUSH_STEP = 1.15; // [ and ] change the brush by 15%, like most paint programs
const engine = new URLSearchParams(location.search).get("engine") ?? "";

const ui = {
  splash: $("splash"),
  picker: $("picker"),
  pickerStatus: $("picker-status"),
  editor: $("editor"),
  title: $("editor-title"),
  canvas: $("stage-canvas"),
  brush: $("brush-size"),
  brushValue: $("brush-value"),
  brushDot: $("brush-dot"),
  brushPreview: $("brush-preview"),
  undo: $("undo"),
  redo: $("redo"),
  clear: $("clear"),
  done: $("done"),
  save: $("save"),
  busy: $("busy"),
  busyText: $("busy-text"),
  busyProgress: $("busy-progress"),
  compare: $("compare"),
  compareBar: $("compare-bar"),
  holdBefore: $("hold-before"),
  tryAnother: $("try-another"),
  resultUndo: $("result-undo"),
  alert: $("alert"),
  leaveDialog: $("leave-dialog"),
  keep: $("keep"),
};

const state = {
  screen: "splash",
  mode: "paint", // "paint" | "working" | "result"
  session: null,
  original: null, // the photo as picked, to tell edited from unedited
  savedPhoto: null,
  split: 0, // how much of the photo on screen, from the left, shows the original
  holds: new Set(), // who is holding "show before": the button, the stage, the B key
  cursor: null,
  request: null, // AbortController of the removal in flight
  keepBrush: false, // strokes mark what the fill must not copy, not what to remove
  historyBusy: false,
};

const view = new ViewTransform();
const stage = new StageView(ui.canvas, view, ui.compareBar);
stage.scene = () => {
  const { session, mode } = state;
  if (!session) return null;
  return {
    photo: session.photo,
    before: mode === "result" ? session.before : null,
    mask: mode === "result" ? null : session.mask,
    keep: mode === "result" ? null : session.keep,
    split: state.split,
    holdBefore: state.holds.size > 0,
    cursor:
      mode === "paint" && state.cursor
        ? { ...state.cursor, size: brushSize(), keep: state.keepBrush }
        : null,
  };
};

const gestures = new StageGestures(ui.canvas, view, {
  mode: () => state.mode,
  strokeStart(point) {
    state.session.beginStroke(point, brushSize() / view.scale, state.keepBrush);
    stage.invalidate();
  },
  strokeMove(point) {
    state.session.extendStroke(point);
    stage.invalidate();
  },
  strokeEnd() {
    state.session.endStroke();
    refresh();
  },
  strokeCancel() {
    state.session.cancelStroke();
    refresh();
  },
  hold: (on) => setHold("stage", on),
  hover(point) {
    state.cursor = point && !gestures.panning ? point : null;
    stage.invalidate();
  },
  viewChanged() {
    ui.editor.classList.toggle("panning", gestures.panning);
    stage.invalidate();
  },
});

// Screens

function showScreen(name) {
  state.screen = name;
  ui.picker.hidden = name !== "picker";
  ui.editor.hidden = name !== "editor";
}

/** True the first time this browser opens the app (and where it keeps no storage: no splash). */
function firstVisit() {
  try {
    if (localStorage.getItem(SPLASH_SEEN)) return false;
    localStorage.setItem(SPLASH_SEEN, "1");
    return true;
  } catch {
    return false;
  }
}

function setMode(mode) {
  state.mode = mode;
  state.holds.clear();
  if (mode === "result") {
    state.split = 0;
    ui.compare.value = "0";
    describeCompare();
  }
  refresh();
}

function hasUnsavedWork() {
  const { session } = state;
  if (!session) return false;
  const edited = session.photo !== state.original && session.photo !== state.savedPhoto;
  return session.hasStrokes || edited;
}

/** Bring every control in line with the state. */
function refresh() {
  const { session, mode } = state;
  if (!session) return;
  const working = mode === "working";
  const editedClean = session.photo !== state.original && !session.hasStrokes;
  ui.editor.dataset.mode = mode;
  ui.undo.disabled = working || !session.canUndo;
  ui.redo.disabled = working || !session.canRedo;
  ui.clear.disabled = working || !session.hasAnyStrokes;
  ui.keep.setAttribute("aria-pressed", String(state.keepBrush));
  ui.brushDot.classList.toggle("keep", state.keepBrush);
  ui.done.disabled = working || !session.hasStrokes;
  ui.resultUndo.disabled = !session.canUndo;
  const fill = session.removal?.fill;
  ui.tryAnother.hidden = !(fill?.variants > 1);
  // After "Keep editing" with nothing painted yet, the top-right action is Save, not Done.
  ui.done.hidden = mode === "result" || (mode === "paint" && editedClean);
  ui.save.hidden = !(mode === "result" || (mode === "paint" && editedClean));
  ui.busy.hidden = !working;
  ui.holdBefore.setAttribute("aria-pressed", String(state.holds.size > 0));
  ui.title.textContent = {
    paint: state.keepBrush
      ? "Paint over what the fill must not copy"
      : session.hasStrokes
        ? "Press Done to remove it"
        : "Paint over what to remove",
    working: "Removing…",
    result: fill?.variant ? `Fill ${fill.variant + 1} of ${fill.variants}` : "Hold or slide to compare",
  }[mode];
  ui.canvas.setAttribute(
    "aria-label",
    mode === "result"
      ? "The result. Press and hold to see the photo before the removal."
      : "Your photo. Paint over what you want to remove.",
  );
  stage.invalidate();
}

// Opening a photo

async function openPhoto(file) {
  if (state.screen !== "picker") return;
  ui.pickerStatus.textContent = "Opening your photo…";
  let photo;
  let session;
  try {
    photo = await PhotoVersion.fromBlob(file, file.name || "photo");
    session = new EditSession(photo);
  } catch (error) {
    photo?.release();
    ui.pickerStatus.textContent = "";
    showAlert(
      error instanceof RangeError
        ? {
            title: "This photo is too big for this browser",
            detail: "Try a photo with fewer pixels, or another browser.",
          }
        : {
            title: "Can't open this file",
            detail: "Amethyst opens JPEG, PNG and WebP photos. Try another photo.",
          },
    );
    return;
  }
  ui.pickerStatus.textContent = "";
  hideAlert();
  state.session = session;
  state.original = photo;
  state.savedPhoto = null;
  showScreen("editor");
  view.setPhoto(photo.width, photo.height);
  view.fit();
  setMode("paint");
}

async function leaveForPicker() {
  if (state.mode === "working") return;
  if (hasUnsavedWork()) {
    ui.leaveDialog.returnValue = "";
    ui.leaveDialog.showModal();
    const choice = await new Promise((resolve) =>
      ui.leaveDialog.addEventListener("close", () => resolve(ui.leaveDialog.returnValue), {
        once: true,
      }),
    );
    if (choice !== "leave") return;
  }
  hideAlert();
  state.session?.dispose();
  state.session = state.original = state.savedPhoto = null;
  showScreen("picker");
}

// Removing

function showProgress({ phase, fraction }) {
  const words = { upload: "Sending your photo…", filling: "Removing…", download: "Almost done…" };
  const percent = fraction == null ? "" : ` ${Math.round(fraction * 100)}%`;
  ui.busyText.textContent = phase === "upload" ? words.upload + percent : words[phase];
  if (fraction == null || phase === "filling") ui.busyProgress.removeAttribute("value");
  else ui.busyProgress.value = fraction;
}

/**
 * Send `photo` with `mask` (a PNG Blob, or a promise of one) for the fill numbered `variant`,
 * and `keepOut` (the same, or null) over what the fill must not copy, showing progress from
 * the start; resolves to {result, fill}: the filled photo, decoded, and the server's
 * {variant, variants}.
 */
async function fillOnServer(photo, mask, variant, keepOut) {
  setMode("working");
  showProgress({ phase: "upload", fraction: 0 });
  const request = new AbortController();
  state.request = request;
  try {
    const { blob, ...fill } = await requestInpaint({
      image: photo.blob,
      imageName: photo.name,
      mask: await mask,
      keepOut: await keepOut,
      engine,
      variant,
      onProgress: showProgress,
      signal: request.signal,
    });
    const result = await PhotoVersion.fromBlob(blob, photo.name);
    if (result.width !== photo.width || result.height !== photo.height) {
      result.release();
      throw new Error("the result is not the photo's size");
    }
    return { result, fill };
  } finally {
    state.request = null;
  }
}

async function removePainted() {
  const { session } = state;
  if (!session?.hasStrokes || state.mode !== "paint") return;
  hideAlert();
  try {
    const mask = session.mask.toPng(); // encoded while the editor already shows it is working
    const keepOut = session.keep.isEmpty ? null : session.keep.toPng();
    const { result, fill } = await fillOnServer(session.photo, mask, 0, keepOut);
    session.applyRemoval(result, await mask, fill, await keepOut);
    setMode("result");
  } catch (error) {
    setMode("paint");
    if (!(error instanceof InpaintCancelled)) showAlert(explainFailure(error), removePainted);
  }
}

/** Ask for the engine's next fill of the same strokes, in place of the one shown. */
async function tryAnother() {
  const { session } = state;
  const removal = session?.removal;
  if (!removal || removal.fill.variants < 2 || state.mode !== "result") return;
  hideAlert();
  try {
    const next = (removal.fill.variant + 1) % removal.fill.variants;
    const { result, fill } = await fillOnServer(removal.before, removal.mask, next, removal.keepOut);
    session.replaceRemoval(result, fill);
  } catch (error) {
    if (!(error instanceof InpaintCancelled)) showAlert(explainFailure(error), tryAnother);
  }
  setMode("result");
}

// History

async function runHistory(step) {
  const { session } = state;
  if (!session || state.historyBusy || state.mode === "working") return;
  state.historyBusy = true;
  try {
    const kind = await step(session);
    if (kind === "removal") {
      // Undoing a removal goes back to painting; redoing one shows its result again.
      if (session.before) {
        await session.before.decoded();
        setMode("result");
      } else {
        setMode("paint");
      }
    }
  } finally {
    state.historyBusy = false;
    refresh();
  }
}

const undo = () => runHistory((s) => s.undo());
const redo = () => runHistory((s) => s.redo());

// Brush

/** Switch the brush between marking what to remove and what the fill must not copy. */
function toggleKeep() {
  state.keepBrush = !state.keepBrush;
  refresh();
}

function brushSize() {
  return Number(ui.brush.value);
}

let previewTimer = 0;
function showBrush(preview) {
  const size = brushSize();
  ui.brushValue.textContent = String(size);
  const min = Number(ui.brush.min);
  const max = Number(ui.brush.max);
  const dot = 4 + ((size - min) / (max - min)) * 26;
  ui.brushDot.style.width = ui.brushDot.style.height = `${dot}px`;
  ui.brush.setAttribute("aria-valuetext", `${size} pixels`);
  if (state.cursor) stage.invalidate();
  if (!preview || state.mode !== "paint") return;
  ui.brushPreview.style.width = ui.brushPreview.style.height = `${size}px`;
  ui.brushPreview.hidden = false;
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => (ui.brushPreview.hidden = true), 700);
}

function brushBy(direction) {
  const size = brushSize();
  const next = direction > 0 ? Math.max(size + 1, size * BRUSH_STEP) : Math.min(size - 1, size / BRUSH_STEP);
  ui.brush.value = String(Math.round(next));
  showBrush(true);
}

// Result

function setHold(who, on) {
  if (on && state.mode === "result") state.holds.add(who);
  else state.holds.delete(who);
  ui.holdBefore.setAttribute("aria-pressed", String(state.holds.size > 0));
  stage.invalidate();
}

function describeCompare() {
  const v = Number(ui.compare.value);
  ui.compare.setAttribute(
    "aria-valuetext",
    v === 0
      ? "Showing the result"
      : v === 100
        ? "Showing the original"
        : `Original on the left ${Math.round(v)}%`,
  );
}

function save() {
  const { session } = state;
  if (!session || session.photo === state.original) return;
  saveBlob(session.photo.blob, resultName(state.original.name, session.photo.blob.type));
  state.savedPhoto = session.photo;
}

// Alerts

let retryAction = null;
function showAlert({ title, detail, canRetry = false }, retry = null) {
  $("alert-title").textContent = title;
  $("alert-detail").textContent = detail;
  retryAction = canRetry ? retry : null;
  $("alert-retry").hidden = !retryAction;
  ui.alert.hidden = false;
}

function hideAlert() {
  ui.alert.hidden = true;
  retryAction = null;
}

// Wiring

listenForPhotos({
  buttons: [$("pick"), $("camera")],
  inputs: [$("pick-input"), $("camera-input")],
  dropZone: $("drop-zone"),
  accepting: () => state.screen === "picker",
  onPhoto: openPhoto,
  onRejected: (message) => (ui.pickerStatus.textContent = message),
});

listenForShortcuts({
  undo,
  redo,
  brushBy: (d) => state.mode === "paint" && brushBy(d),
  fit: () => {
    view.fit();
    stage.invalidate();
  },
  hold: (on) => setHold("key", on),
  tryAnother,
  toggleKeep: () => state.mode === "paint" && toggleKeep(),
});

ui.undo.addEventListener("click", undo);
ui.resultUndo.addEventListener("click", undo);
ui.redo.addEventListener("click", redo);
ui.clear.addEventListener("click", () => {
  state.session?.clearStrokes();
  refresh();
});
ui.done.addEventListener("click", removePainted);
ui.keep.addEventListener("click", toggleKeep);
ui.save.addEventListener("click", save);
$("keep-editing").addEventListener("click", () => setMode("paint"));
ui.tryAnother.addEventListener("click", tryAnother);
$("new-photo").addEventListener("click", leaveForPicker);
$("cancel").addEventListener("click", () => state.request?.abort());
for (const button of document.querySelectorAll(".fit")) {
  button.addEventListener("click", () => {
    view.fit();
    stage.invalidate();
  });
}
ui.brush.addEventListener("input", () => showBrush(true));
ui.compare.addEventListener("input", () => {
  state.split = Number(ui.compare.value) / 100;
  describeCompare();
  stage.invalidate();
});

const hold = ui.holdBefore;
hold.addEventListener("pointerdown", () => setHold("button", true));
for (const type of ["pointerup", "pointerleave", "pointercancel"]) {
  hold.addEventListener(type, () => setHold("button", false));
}
hold.addEventListener("keydown", (e) => {
  if (e.key !== " " && e.key !== "Enter") return;
  e.preventDefault();
  setHold("button", true);
});
hold.addEventListener("keyup", () => setHold("button", false));
hold.addEventListener("contextmenu", (e) => e.preventDefault());

$("alert-dismiss").addEventListener("click", hideAlert);
$("alert-retry").addEventListener("click", () => {
  const action = retryAction;
  hideAlert();
  action?.();
});

window.addEventListener("beforeunload", (e) => {
  if (hasUnsavedWork()) e.preventDefault();
});

// Apple keyboards say Command where others say Ctrl.
if (/Mac|iPhone|iPad/.test(navigator.platform)) {
  for (const kbd of document.querySelectorAll(".shortcut")) {
    kbd.textContent = kbd.textContent.replace("Ctrl", "⌘");
  }
}

showBrush(false);
// The splash greets a first visit; later ones open on the picker as soon as this script runs.
if (firstVisit()) {
  setTimeout(() => {
    showScreen("picker");
    ui.splash.classList.add("leaving");
    setTimeout(() => (ui.splash.hidden = true), 400);
  }, SPLASH_MS);
} else {
  ui.splash.hidden = true;
  showScreen("picker");
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {
    // Without a service worker the app still works; it just won't open offline.
  });
}
