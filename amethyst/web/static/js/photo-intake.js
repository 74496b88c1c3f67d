// The ways a photo arrives: the two file inputs, drag and drop, and paste.

function firstImage(files) {
  return [...(files ?? [])].find((f) => f.type.startsWith("image/") || f.type === "") ?? null;
}

/**
 * Call onPhoto(file) for each photo picked, taken, dropped or pasted while accepting() is true.
 * onRejected(message) hears about things that are not photos.
 */
export function listenForPhotos({ buttons, inputs, dropZone, accepting, onPhoto, onRejected }) {
  buttons.forEach((button, i) => button.addEventListener("click", () => inputs[i].click()));
  for (const input of inputs) {
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      input.value = ""; // picking the same file again must fire "change" again
      if (file) onPhoto(file);
    });
  }

  let depth = 0; // dragenter/leave fire for every child element crossed
  const setDragging = (on) => dropZone.classList.toggle("dragging", on);
  window.addEventListener("dragenter", (e) => {
    if (!accepting()) return;
    e.preventDefault();
    depth += 1;
    setDragging(true);
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) setDragging(false);
  });
  window.addEventListener("dragover", (e) => {
    if (accepting()) e.preventDefault();
  });
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    setDragging(false);
    if (!accepting()) return;
    const file = firstImage(e.dataTransfer?.files);
    if (file) onPhoto(file);
    else onRejected("That isn't a photo. Drop a JPEG, PNG or WebP image.");
  });
  window.addEventListener("paste", (e) => {
    if (!accepting()) return;
    const file = firstImage(e.clipboardData?.files);
    if (file) {
      e.preventDefault();
      onPhoto(file);
    } else {
      onRejected("There's no photo on the clipboard. Copy an image first.");
    }
  });
}
