// One photo being edited: its current version, the strokes on it (over what to remove, and
// over what the fill must not copy: "keep"), and undo/redo across strokes, "Clear all" and
// whole removals, so several removals in a row stay undoable. A removal remembers the masks it
// sent, so "Try another" can ask for another fill of it.

import { MaskLayer } from "./mask-layer.js";

export class EditSession {
  constructor(photo) {
    this.photo = photo;
    this.mask = new MaskLayer(photo.width, photo.height);
    this.keep = new MaskLayer(photo.width, photo.height);
    this.drawing = null; // the layer the stroke being drawn goes to
    this.undoStack = [];
    this.redoStack = [];
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  get canRedo() {
    return this.redoStack.length > 0;
  }

  /** Whether anything is painted to remove (keep strokes alone remove nothing). */
  get hasStrokes() {
    return !this.mask.isEmpty;
  }

  get hasAnyStrokes() {
    return !this.mask.isEmpty || !this.keep.isEmpty;
  }

  /** The latest removal ({before, after, mask, fill}) while the current photo is its result. */
  get removal() {
    const last = this.undoStack[this.undoStack.length - 1];
    return last?.kind === "removal" && last.after === this.photo ? last : null;
  }

  /** The version before the latest removal, while the current photo is that removal's result. */
  get before() {
    return this.removal?.before ?? null;
  }

  /** Start a stroke over what to remove, or over what to keep out of the fill if `keep`. */
  beginStroke(point, width, keep = false) {
    this.drawing = keep ? this.keep : this.mask;
    this.drawing.begin(point, width);
  }

  extendStroke(point) {
    this.drawing?.extend(point);
  }

  endStroke() {
    const layer = this.drawing;
    this.drawing = null;
    const stroke = layer?.end();
    if (stroke) this.#push({ kind: "stroke", stroke, keep: layer === this.keep });
  }

  cancelStroke() {
    this.drawing?.cancel();
    this.drawing = null;
  }

  clearStrokes() {
    if (!this.hasAnyStrokes) return;
    this.#push({ kind: "clear", strokes: this.mask.strokes, keepStrokes: this.keep.strokes });
    this.mask.setStrokes([]);
    this.keep.setStrokes([]);
  }

  /**
   * Make `result` the current photo; undo brings back the old photo and its strokes. `mask` and
   * `keepOut` are the PNGs that were sent (`keepOut` null without keep strokes), `fill` the
   * server's {variant, variants} for them. Keep strokes stay for the next removal: what must not
   * be copied is still in the photo.
   */
  applyRemoval(result, mask, fill, keepOut = null) {
    const entry = {
      kind: "removal",
      before: this.photo,
      strokes: this.mask.strokes,
      keepStrokes: this.keep.strokes,
      mask,
      keepOut,
      fill,
    };
    this.#push({ ...entry, after: result });
    this.photo = result;
    this.mask.setStrokes([]);
    this.#releaseUnneeded();
  }

  /** Show `result`, another fill of the latest removal, in place of its current one. */
  replaceRemoval(result, fill) {
    const entry = this.removal;
    if (!entry) throw new Error("no removal to replace");
    entry.after.release();
    entry.after = result;
    entry.fill = fill;
    this.photo = result;
  }

  /** Undo the last action; resolves to the undone entry's kind (or null). */
  async undo() {
    const entry = this.undoStack[this.undoStack.length - 1];
    if (!entry) return null;
    if (entry.kind === "removal") await entry.before.decoded();
    this.undoStack.pop();
    this.redoStack.push(entry);
    if (entry.kind === "stroke") {
      const layer = entry.keep ? this.keep : this.mask;
      layer.setStrokes(layer.strokes.filter((s) => s !== entry.stroke));
    } else {
      if (entry.kind === "removal") this.photo = entry.before;
      this.mask.setStrokes(entry.strokes);
      this.keep.setStrokes(entry.keepStrokes);
    }
    this.#releaseUnneeded();
    return entry.kind;
  }

  /** Redo the last undone action; resolves to its kind (or null). */
  async redo() {
    const entry = this.redoStack[this.redoStack.length - 1];
    if (!entry) return null;
    if (entry.kind === "removal") await entry.after.decoded();
    this.redoStack.pop();
    this.undoStack.push(entry);
    if (entry.kind === "stroke") {
      const layer = entry.keep ? this.keep : this.mask;
      layer.setStrokes([...layer.strokes, entry.stroke]);
    } else {
      if (entry.kind === "removal") this.photo = entry.after;
      this.mask.setStrokes([]);
      this.keep.setStrokes(entry.kind === "removal" ? entry.keepStrokes : []);
    }
    this.#releaseUnneeded();
    return entry.kind;
  }

  /** Free every decoded photo and the mask; the session is not used afterwards. */
  dispose() {
    this.photo.release();
    for (const entry of [...this.undoStack, ...this.redoStack]) {
      if (entry.kind === "removal") [entry.before, entry.after].forEach((v) => v.release());
    }
    this.mask.dispose();
    this.keep.dispose();
  }

  #push(entry) {
    this.undoStack.push(entry);
    for (const dropped of this.redoStack) {
      if (dropped.kind === "removal") dropped.after.release();
    }
    this.redoStack = [];
  }

  /** Keep pixels only for the photo shown and the one it is compared with. */
  #releaseUnneeded() {
    const keep = new Set([this.photo, this.before]);
    for (const entry of [...this.undoStack, ...this.redoStack]) {
      if (entry.kind !== "removal") continue;
      for (const version of [entry.before, entry.after]) {
        if (!keep.has(version)) version.release();
      }
    }
  }
}
