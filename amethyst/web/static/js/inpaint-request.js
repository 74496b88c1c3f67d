// Send a photo and its mask to the service and explain any failure in plain words.
// XMLHttpRequest rather than fetch: it reports upload progress, which a phone on a slow
// connection needs to see for a 5 MB photo.

export class InpaintFailure extends Error {
  constructor(status, serverMessage = "", retryAfter = null, requestId = null) {
    super(serverMessage || `HTTP ${status}`);
    this.status = status;
    this.serverMessage = serverMessage;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
  }
}

export class InpaintCancelled extends Error {}

/** The whole number in the reply's header `name`, or `fallback` when it is missing or not one. */
function headerNumber(xhr, name, fallback = null) {
  const value = Number.parseInt(xhr.getResponseHeader(name) ?? "", 10);
  return Number.isFinite(value) ? value : fallback;
}

/**
 * POST the photo and mask to /api/v1/inpaint, asking for the engine's fill number `variant`
 * (0: its usual one), with `keepOut` (a PNG Blob or null) over what the fill must not copy. Resolves to {blob, variant, variants}: the result (typed by the reply's
 * Content-Type), the fill it is and how many different fills the engine gives.
 * onProgress({phase: "upload" | "filling" | "download", fraction}).
 */
export function requestInpaint({
  image,
  imageName,
  mask,
  keepOut = null,
  engine,
  variant = 0,
  onProgress,
  signal,
}) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("image", image, imageName);
    form.append("mask", mask, "mask.png");
    if (keepOut) form.append("keep_out", keepOut, "keep_out.png");
    if (engine) form.append("engine", engine);
    if (variant) form.append("variant", String(variant));

    const xhr = new XMLHttpRequest();
    xhr.open("POST", "api/v1/inpaint");
    xhr.responseType = "blob";
    xhr.upload.onprogress = (e) =>
      onProgress({ phase: "upload", fraction: e.lengthComputable ? e.loaded / e.total : null });
    xhr.upload.onload = () => onProgress({ phase: "filling", fraction: null });
    xhr.onprogress = (e) =>
      onProgress({ phase: "download", fraction: e.lengthComputable ? e.loaded / e.total : null });
    xhr.onerror = () => reject(new InpaintFailure(0));
    xhr.ontimeout = () => reject(new InpaintFailure(408));
    xhr.onabort = () => reject(new InpaintCancelled("cancelled"));
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({
          blob: xhr.response,
          variant: headerNumber(xhr, "X-Amethyst-Variant", 0),
          variants: headerNumber(xhr, "X-Amethyst-Variants", 1),
        });
        return;
      }
      let message = "";
      let requestId = null;
      try {
        const body = JSON.parse(await xhr.response.text());
        message = typeof body.error === "string" ? body.error : "";
        requestId = body.request_id ?? null;
      } catch {
        // Not our JSON (a proxy's error page, say): the status alone will have to do.
      }
      reject(new InpaintFailure(xhr.status, message, headerNumber(xhr, "Retry-After"), requestId));
    };
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function sentence(text) {
  const t = text.trim();
  if (!t) return "";
  return t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? "" : ".");
}

/** A failure as {title, detail, canRetry} for the person holding the phone. */
export function explainFailure(error) {
  if (!(error instanceof InpaintFailure)) {
    return {
      title: "Something went wrong",
      detail: "Amethyst couldn't prepare this edit. Try again.",
      canRetry: true,
    };
  }
  const server = sentence(error.serverMessage);
  switch (true) {
    case error.status === 0:
      return {
        title: "Can't reach Amethyst",
        detail: "Check that you're online and the Amethyst server is running, then try again.",
        canRetry: true,
      };
    case error.status === 503: {
      const wait = error.retryAfter ? ` in ${error.retryAfter} second${error.retryAfter === 1 ? "" : "s"}` : " in a moment";
      return {
        title: "Amethyst is busy",
        detail: `It's working on other photos right now. Try again${wait}.`,
        canRetry: true,
      };
    }
    case error.status === 408 || error.status === 504:
      return {
        title: "That took too long",
        detail: "The photo didn't arrive in time. Check your connection and try again.",
        canRetry: true,
      };
    case error.status === 413:
      return {
        title: "This photo is too big",
        detail: server || "Try a smaller photo, or one with fewer pixels.",
        canRetry: false,
      };
    case error.status >= 400 && error.status < 500:
      return {
        title: "Amethyst couldn't use this photo",
        detail: server || "The photo or the painted area wasn't accepted.",
        canRetry: false,
      };
    default:
      return {
        title: "Something went wrong on the server",
        detail:
          "The removal didn't finish. Try again, or paint a smaller area." +
          (error.requestId ? ` (Reference ${error.requestId}.)` : ""),
        canRetry: true,
      };
  }
}
