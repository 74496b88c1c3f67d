// Hand a Blob to the browser as a download with a sensible file name.

// Extensions of each result type, the usual one first.
const EXTENSIONS = {
  "image/jpeg": ["jpg", "jpeg"],
  "image/png": ["png"],
  "image/webp": ["webp"],
  "image/gif": ["gif"],
  "image/tiff": ["tif", "tiff"],
  "image/bmp": ["bmp"],
};

/** "<stem>-amethyst.<ext>", as the command line names results: the photo's own extension
 * when it fits the result's type ("IMG_1.JPG" -> "IMG_1-amethyst.JPG"), else the type's usual
 * one ("scan.heic" + image/png -> "scan-amethyst.png"). */
export function resultName(originalName, type) {
  const name = originalName || "photo";
  const stem = name.replace(/\.[^./\\]+$/, "") || "photo";
  const own = name.slice(stem.length + 1);
  const fitting = EXTENSIONS[type] ?? EXTENSIONS["image/png"];
  return `${stem}-amethyst.${fitting.includes(own.toLowerCase()) ? own : fitting[0]}`;
}

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Safari reads the URL after click() returns; give it time before freeing the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
