// Hand a Blob to the browser as a download with a sensible file name.

const EXTENSIONS = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "image/tiff": "tif",
  "image/bmp": "bmp",
};

/** "holiday.jpeg" + image/jpeg -> "holiday-amethyst.jpg". */
export function resultName(originalName, type) {
  const stem = (originalName || "photo").replace(/\.[^./\\]+$/, "") || "photo";
  return `${stem}-amethyst.${EXTENSIONS[type] ?? "png"}`;
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
