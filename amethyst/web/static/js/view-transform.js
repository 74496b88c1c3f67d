// Where the photo sits on the stage: a scale and an offset, in CSS pixels.

const MARGIN = 12;
const MAX_PIXEL_ZOOM = 8; // at most 8 screen pixels per photo pixel

export class ViewTransform {
  scale = 1;
  x = 0;
  y = 0;
  stageWidth = 1;
  stageHeight = 1;
  photoWidth = 1;
  photoHeight = 1;
  fitted = true;

  setStage(width, height) {
    const cx = this.stageWidth / 2;
    const cy = this.stageHeight / 2;
    this.stageWidth = Math.max(1, width);
    this.stageHeight = Math.max(1, height);
    if (this.fitted) this.fit();
    else this.panBy(this.stageWidth / 2 - cx, this.stageHeight / 2 - cy);
  }

  setPhoto(width, height) {
    const same = width === this.photoWidth && height === this.photoHeight;
    this.photoWidth = width;
    this.photoHeight = height;
    if (!same) this.fit();
  }

  get fitScale() {
    const w = Math.max(1, this.stageWidth - 2 * MARGIN);
    const h = Math.max(1, this.stageHeight - 2 * MARGIN);
    return Math.min(w / this.photoWidth, h / this.photoHeight);
  }

  /** Show the whole photo, centred, with its aspect ratio kept. */
  fit() {
    this.scale = this.fitScale;
    this.x = (this.stageWidth - this.photoWidth * this.scale) / 2;
    this.y = (this.stageHeight - this.photoHeight * this.scale) / 2;
    this.fitted = true;
  }

  toPhoto(sx, sy) {
    return { x: (sx - this.x) / this.scale, y: (sy - this.y) / this.scale };
  }

  /** Zoom by `factor` keeping the photo point under (sx, sy) where it is. */
  zoomAt(sx, sy, factor) {
    this.place(this.toPhoto(sx, sy), { x: sx, y: sy }, this.scale * factor);
  }

  /** Set the zoom to `scale` (within limits) with `photoPoint` shown at `stagePoint`. */
  place(photoPoint, stagePoint, scale) {
    const min = this.fitScale * 0.5;
    const max = Math.max(this.fitScale * 2, MAX_PIXEL_ZOOM);
    this.scale = Math.min(max, Math.max(min, scale));
    this.x = stagePoint.x - photoPoint.x * this.scale;
    this.y = stagePoint.y - photoPoint.y * this.scale;
    this.fitted = false;
    this.#keepInView();
  }

  panBy(dx, dy) {
    this.x += dx;
    this.y += dy;
    this.fitted = false;
    this.#keepInView();
  }

  /** Keep some of the photo under the stage's centre so it can't be lost off screen. */
  #keepInView() {
    const w = this.photoWidth * this.scale;
    const h = this.photoHeight * this.scale;
    const cx = this.stageWidth / 2;
    const cy = this.stageHeight / 2;
    this.x = Math.min(cx, Math.max(cx - w, this.x));
    this.y = Math.min(cy, Math.max(cy - h, this.y));
  }
}
