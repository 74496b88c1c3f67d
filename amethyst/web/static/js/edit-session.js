// One photo being edited: its current version, the strokes on it, and undo/redo across
// strokes, "Clear all" and whole removals, so several removals in a row stay undoable. A
// removal remembers the mask it sent, so "Try another" can ask for another fill of it.

import { MaskLayer } from "./mask-layer.js";

export class EditSession {
  constructor(photo) {
    this.photo = photo;
    this.mask = new MaskLayer(photo.width, photo.height);
    this.undoStack = [];
    this.redoStack = [];
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  get canRedo() {
    return this.redoStack.length > 0;
  }

  get hasStrokes() {
    return !this.mask.isEmpty;
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

  beginStroke(point, width) {
    this.mask.begin(point, width);
  }

  extendStroke(point) {
    this.mask.extend(point);
  }

  endStroke() {
    const stroke = this.mask.end();
    if (stroke) this.#push({ kind: "stroke", stroke });
  }

  cancelStroke() {
    this.mask.cancel();
  }

  clearStrokes() {
    if (this.mask.isEmpty) return;
    this.#push({ kind: "clear", strokes: this.mask.strokes });
    this.mask.setStrokes([]);
  }

  /**
   * Make `result` the current photo; undo brings back the old photo and its strokes. `mask` is
   * the PNG that was sent, `fill` the server's {variant, variants} for it.
   */
  applyRemoval(result, mask, fill) {
    const entry = { kind: "removal", before: this.photo, strokes: this.mask.strokes, mask, fill };
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
      this.mask.setStrokes(this.mask.strokes.filter((s) => s !== entry.stroke));
    } else if (entry.kind === "clear") {
      this.mask.setStrokes(entry.strokes);
    } else {
      this.photo = entry.before;
      this.mask.setStrokes(entry.strokes);
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
      this.mask.setStrokes([...this.mask.strokes, entry.stroke]);
    } else if (entry.kind === "clear") {
      this.mask.setStrokes([]);
    } else {
      this.photo = entry.after;
      this.mask.setStrokes([]);
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
