// Draws the stage: the photo at the view's zoom, the mask as a tint, the before/after split
// and the brush outline. Display buffers are screen-sized; only the photo and mask are full-size.
// It also lays the compare slider under the photo's visible part, so that the slider's value,
// `split`, puts the before/after line right under the slider's thumb.

const MASK_TINT = "rgb(217, 70, 239)";
const KEEP_TINT = "rgb(34, 197, 94)"; // what the fill must not copy from
const MASK_ALPHA = 0.5;
const MAX_DPR = 2; // a 3x phone screen gains little over 2x and costs 2.25x the memory
const COMPARE_GAP = 8; // between the photo, or the stage's bottom, and the compare slider
const COMPARE_INSET = 12; // keeps the compare slider's thumb (22 px) inside the stage

export class StageView {
  constructor(canvas, view, compareBar) {
    this.canvas = canvas;
    this.view = view;
    this.compareBar = compareBar;
    this.ctx = canvas.getContext("2d");
    this.tint = document.createElement("canvas");
    this.tintCtx = this.tint.getContext("2d");
    // () => {photo, before, mask, keep, split, holdBefore, cursor}; split: 0 to 1, how far across
    // the photo's visible part the before/after line is
    this.scene = null;
    this.pending = false;
    this.dpr = 1;
    new ResizeObserver(() => this.#resize()).observe(canvas);
  }

  /** Ask for a redraw on the next frame; many calls in one frame draw once. */
  invalidate() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  #resize() {
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = Math.min(window.devicePixelRatio || 1, MAX_DPR);
    const width = Math.max(1, Math.round(rect.width * this.dpr));
    const height = Math.max(1, Math.round(rect.height * this.dpr));
    for (const c of [this.canvas, this.tint]) {
      c.width = width;
      c.height = height;
    }
    this.view.setStage(rect.width, rect.height);
    this.draw();
  }

  draw() {
    const scene = this.scene?.();
    const { ctx, canvas, view, dpr } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!scene?.photo?.bitmap) return;
    const [left, right] = this.#compareSpan();
    const splitX = left + scene.split * (right - left); // stage x of the before/after line
    this.#placeCompareBar(left, right);
    const toStage = [dpr * view.scale, 0, 0, dpr * view.scale, dpr * view.x, dpr * view.y];
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = view.scale < 1 ? "high" : "low";

    ctx.setTransform(...toStage);
    ctx.drawImage(scene.photo.bitmap, 0, 0);
    const before = scene.before?.bitmap;
    if (before && (scene.holdBefore || scene.split > 0)) {
      const width = scene.holdBefore ? scene.photo.width : (splitX - view.x) / view.scale;
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, width, scene.photo.height);
      ctx.clip();
      ctx.drawImage(before, 0, 0);
      ctx.restore();
    }
    if (scene.keep && (!scene.keep.isEmpty || scene.keep.active)) {
      this.#drawMask(scene.keep, toStage, KEEP_TINT);
    }
    if (scene.mask && (!scene.mask.isEmpty || scene.mask.active)) {
      this.#drawMask(scene.mask, toStage, MASK_TINT);
    }

    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (before && !scene.holdBefore && scene.split > 0 && scene.split < 1) {
      this.#drawDivider(splitX);
    }
    if (before && (scene.holdBefore || scene.split > 0)) this.#drawChips(scene);
    if (scene.cursor) this.#drawCursor(scene.cursor);
  }

  /** Where the before/after line can be: across the photo's visible part. */
  #compareSpan() {
    const { view } = this;
    const right = view.x + view.photoWidth * view.scale;
    return [Math.max(view.x, COMPARE_INSET), Math.min(right, view.stageWidth - COMPARE_INSET)];
  }

  /** Just under the photo if there is room, else over its bottom; as wide as its visible part. */
  #placeCompareBar(left, right) {
    const { compareBar, view } = this;
    const below = view.y + view.photoHeight * view.scale + COMPARE_GAP;
    const lowest = view.stageHeight - compareBar.offsetHeight - COMPARE_GAP;
    compareBar.style.left = `${left}px`;
    compareBar.style.width = `${right - left}px`;
    compareBar.style.top = `${Math.min(below, lowest)}px`;
  }

  #drawMask(mask, toStage, colour) {
    const { tint, tintCtx } = this;
    tintCtx.setTransform(1, 0, 0, 1, 0, 0);
    tintCtx.globalCompositeOperation = "source-over";
    tintCtx.clearRect(0, 0, tint.width, tint.height);
    tintCtx.setTransform(...toStage);
    tintCtx.drawImage(mask.canvas, 0, 0);
    tintCtx.setTransform(1, 0, 0, 1, 0, 0);
    tintCtx.globalCompositeOperation = "source-in";
    tintCtx.fillStyle = colour;
    tintCtx.fillRect(0, 0, tint.width, tint.height);
    this.ctx.save();
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.globalAlpha = MASK_ALPHA;
    this.ctx.drawImage(tint, 0, 0);
    this.ctx.restore();
  }

  #drawDivider(x) {
    const { ctx, view } = this;
    const top = Math.max(0, view.y);
    const bottom = Math.min(view.stageHeight, view.y + view.photoHeight * view.scale);
    ctx.fillStyle = "rgba(0, 0, 0, 0.35)";
    ctx.fillRect(x - 2, top, 4, bottom - top);
    ctx.fillStyle = "#fff";
    ctx.fillRect(x - 1, top, 2, bottom - top);
  }

  #drawChips(scene) {
    const { view } = this;
    const top = Math.max(8, view.y + 10);
    const left = Math.max(8, view.x + 10);
    const right = Math.min(view.stageWidth - 8, view.x + view.photoWidth * view.scale - 10);
    this.#chip("Before", left, top, "left");
    if (!scene.holdBefore && scene.split < 1) this.#chip("After", right, top, "right");
  }

  #chip(text, x, y, align) {
    const { ctx } = this;
    ctx.font = "600 12px 'Inter Variable', system-ui, sans-serif";
    const width = ctx.measureText(text).width + 18;
    const left = align === "left" ? x : x - width;
    ctx.fillStyle = "rgba(14, 12, 18, 0.78)";
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(left, y, width, 24, 12);
    else ctx.rect(left, y, width, 24); // Safari before 16
    ctx.fill();
    ctx.fillStyle = "#fff";
    ctx.textBaseline = "middle";
    ctx.fillText(text, left + 9, y + 12.5);
  }

  /** The brush's outline: white, or green while it paints what the fill must not copy. */
  #drawCursor({ x, y, size, keep }) {
    const { ctx } = this;
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(0, 0, 0, 0.55)";
    ctx.beginPath();
    ctx.arc(x, y, size / 2, 0, Math.PI * 2);
    ctx.stroke();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = keep ? KEEP_TINT : "#fff";
    ctx.stroke();
  }
}
