// Pointer input on the stage: one finger, pen or left mouse button paints; two fingers pinch
// and pan; the wheel zooms; middle or right button, or Space held, pans. In the result view a
// press shows the photo before the removal until it is released or turns into a pan.

const HOLD_SLOP = 6; // CSS px a pressed pointer may move and still count as a hold

export class StageGestures {
  /**
   * handlers: mode() -> "paint" | "working" | "result", strokeStart(p), strokeMove(p),
   * strokeEnd(), strokeCancel(), hold(on), hover(stagePoint | null), viewChanged().
   */
  constructor(canvas, view, handlers) {
    this.canvas = canvas;
    this.view = view;
    this.on = handlers;
    this.pointers = new Map();
    this.gesture = null;
    this.spaceHeld = false;
    this.rect = canvas.getBoundingClientRect();

    canvas.addEventListener("pointerdown", (e) => this.#down(e));
    canvas.addEventListener("pointermove", (e) => this.#move(e));
    canvas.addEventListener("pointerup", (e) => this.#up(e, false));
    canvas.addEventListener("pointercancel", (e) => this.#up(e, true));
    canvas.addEventListener("pointerleave", (e) => e.pointerType !== "touch" && this.on.hover(null));
    canvas.addEventListener("wheel", (e) => this.#wheel(e), { passive: false });
    canvas.addEventListener("contextmenu", (e) => e.preventDefault());
    window.addEventListener("keydown", (e) => this.#space(e, true));
    window.addEventListener("keyup", (e) => this.#space(e, false));
    window.addEventListener("blur", () => (this.spaceHeld = false));
  }

  get panning() {
    return this.gesture?.kind === "pan" || this.gesture?.kind === "pinch";
  }

  #at(e) {
    return { x: e.clientX - this.rect.left, y: e.clientY - this.rect.top };
  }

  #down(e) {
    const mode = this.on.mode();
    if (mode === "working") return;
    e.preventDefault();
    this.rect = this.canvas.getBoundingClientRect();
    this.canvas.setPointerCapture(e.pointerId);
    const at = this.#at(e);
    this.pointers.set(e.pointerId, at);

    if (this.pointers.size >= 2) {
      this.#endCurrent(true);
      this.#startPinch();
      return;
    }
    const panButton = e.pointerType === "mouse" && e.button !== 0;
    if (mode === "result" || panButton || this.spaceHeld) {
      const holding = mode === "result" && !panButton && !this.spaceHeld;
      this.gesture = { kind: "pan", id: e.pointerId, last: at, travel: 0, holding };
      if (holding) this.on.hold(true);
    } else {
      this.gesture = { kind: "stroke", id: e.pointerId };
      this.on.strokeStart(this.view.toPhoto(at.x, at.y));
    }
    this.on.viewChanged();
  }

  #move(e) {
    const at = this.#at(e);
    if (this.pointers.has(e.pointerId)) this.pointers.set(e.pointerId, at);
    if (e.pointerType !== "touch") this.on.hover(at);
    const g = this.gesture;
    if (!g) return;
    if (g.kind === "stroke" && g.id === e.pointerId) {
      const events = e.getCoalescedEvents?.() ?? [];
      for (const c of events.length ? events : [e]) {
        const p = this.#at(c);
        this.on.strokeMove(this.view.toPhoto(p.x, p.y));
      }
    } else if (g.kind === "pan" && g.id === e.pointerId) {
      this.view.panBy(at.x - g.last.x, at.y - g.last.y);
      g.travel += Math.hypot(at.x - g.last.x, at.y - g.last.y);
      g.last = at;
      if (g.holding && g.travel > HOLD_SLOP) {
        g.holding = false;
        this.on.hold(false);
      }
    } else if (g.kind === "pinch") {
      const { mid, dist } = this.#pair();
      this.view.place(g.anchor, mid, (g.scale * dist) / g.dist);
    }
    this.on.viewChanged();
  }

  #up(e, cancelled) {
    if (!this.pointers.delete(e.pointerId)) return;
    const g = this.gesture;
    if (g?.kind === "pinch") {
      // Lifting one of two fingers must not start painting with the other.
      this.gesture = this.pointers.size ? { kind: "locked" } : null;
    } else if (g && g.id === e.pointerId) {
      this.#endCurrent(cancelled);
      this.gesture = null;
    } else if (g?.kind === "locked" && !this.pointers.size) {
      this.gesture = null;
    }
    this.on.viewChanged();
  }

  /** Finish a stroke or hold; a cancelled stroke is dropped. */
  #endCurrent(cancelStroke) {
    const g = this.gesture;
    if (g?.kind === "stroke") {
      if (cancelStroke) this.on.strokeCancel();
      else this.on.strokeEnd();
    } else if (g?.kind === "pan" && g.holding) {
      this.on.hold(false);
    }
    this.gesture = null;
  }

  #pair() {
    const [a, b] = [...this.pointers.values()];
    return {
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      dist: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
    };
  }

  #startPinch() {
    const { mid, dist } = this.#pair();
    this.gesture = {
      kind: "pinch",
      anchor: this.view.toPhoto(mid.x, mid.y),
      scale: this.view.scale,
      dist,
    };
  }

  #wheel(e) {
    e.preventDefault();
    if (this.on.mode() === "working") return;
    this.rect = this.canvas.getBoundingClientRect();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    // Trackpad pinches arrive as wheel events with ctrlKey and small deltas.
    const speed = e.ctrlKey ? 0.01 : 0.0015;
    const at = this.#at(e);
    this.view.zoomAt(at.x, at.y, Math.exp(-e.deltaY * unit * speed));
    this.on.viewChanged();
  }

  #space(e, down) {
    if (e.code !== "Space" || e.target.closest?.("input, button, textarea")) return;
    if (down) e.preventDefault();
    this.spaceHeld = down;
  }
}
