// The removal mask at the photo's full resolution, built from brush strokes in photo pixels.

/** A 2D context on an off-screen canvas; null when the browser can't make one that big. */
function offscreenContext(width, height) {
  if (typeof OffscreenCanvas === "function") {
    // Safari before 16.4 has OffscreenCanvas but no 2D context for it.
    const ctx = new OffscreenCanvas(width, height).getContext("2d");
    if (ctx) return ctx;
  }
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas.getContext("2d");
}

async function canvasToPng(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/png" });
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG encoding failed"))));
  });
}

/**
 * Strokes ({width, points: [{x, y}]}) drawn white on a transparent full-size canvas.
 * One canvas the photo's size is the only full-resolution buffer kept while painting.
 */
export class MaskLayer {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    this.ctx = offscreenContext(width, height);
    if (!this.ctx) throw new RangeError(`no canvas of ${width}x${height} pixels available`);
    this.canvas = this.ctx.canvas;
    this.strokes = [];
    this.active = null;
  }

  get isEmpty() {
    return this.strokes.length === 0;
  }

  begin(point, width) {
    this.active = { width, points: [point] };
    this.#drawDot(point, width);
  }

  extend(point) {
    const points = this.active?.points;
    if (!points) return;
    const last = points[points.length - 1];
    if (Math.hypot(point.x - last.x, point.y - last.y) < 0.5) return;
    points.push(point);
    this.#drawSegment(last, point, this.active.width);
  }

  /**
   * Finish the stroke being drawn and return it. The mask is redrawn from the stroke list so
   * it is always exactly what undo and redo will rebuild, whatever segments were drawn live.
   */
  end() {
    const stroke = this.active;
    this.active = null;
    if (stroke) {
      this.strokes.push(stroke);
      this.redraw();
    }
    return stroke;
  }

  /** Drop the stroke being drawn (a second finger turned it into a pinch). */
  cancel() {
    if (!this.active) return;
    this.active = null;
    this.redraw();
  }

  setStrokes(strokes) {
    this.strokes = strokes.slice();
    this.redraw();
  }

  redraw() {
    this.ctx.clearRect(0, 0, this.width, this.height);
    for (const stroke of this.strokes) this.#drawStroke(stroke);
  }

  /** The mask the service expects: a PNG the photo's size, white = remove, on black. */
  async toPng() {
    const ctx = offscreenContext(this.width, this.height);
    if (!ctx) throw new RangeError("no memory left for the mask");
    const out = ctx.canvas;
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, this.width, this.height);
    ctx.drawImage(this.canvas, 0, 0);
    const png = await canvasToPng(out);
    out.width = out.height = 0; // free the second full-size buffer now, not at GC time
    return png;
  }

  /** Free the full-size buffer now rather than whenever garbage collection runs. */
  dispose() {
    this.canvas.width = this.canvas.height = 0;
  }

  #style(width) {
    const ctx = this.ctx;
    ctx.strokeStyle = ctx.fillStyle = "#fff";
    ctx.lineWidth = width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }

  #drawDot(point, width) {
    this.#style(width);
    this.ctx.beginPath();
    this.ctx.arc(point.x, point.y, width / 2, 0, Math.PI * 2);
    this.ctx.fill();
  }

  #drawSegment(from, to, width) {
    this.#style(width);
    this.ctx.beginPath();
    this.ctx.moveTo(from.x, from.y);
    this.ctx.lineTo(to.x, to.y);
    this.ctx.stroke();
  }

  #drawStroke(stroke) {
    const [first, ...rest] = stroke.points;
    this.#drawDot(first, stroke.width);
    if (!rest.length) return;
    this.#style(stroke.width);
    this.ctx.beginPath();
    this.ctx.moveTo(first.x, first.y);
    for (const p of rest) this.ctx.lineTo(p.x, p.y);
    this.ctx.stroke();
  }
}
