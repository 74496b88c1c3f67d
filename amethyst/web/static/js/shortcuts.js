// Desktop keyboard shortcuts: [ and ] for brush size, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z
// (or Ctrl+Y) redo, 0 to fit, B held to see the photo before the removal, A to try another fill,
// K to switch the brush between what to remove and what to keep out of the fill.

export function listenForShortcuts(actions) {
  window.addEventListener("keydown", (e) => {
    if (e.target.closest?.("input[type=text], textarea, dialog")) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    let handled = true;
    if (mod && key === "z") (e.shiftKey ? actions.redo : actions.undo)();
    else if (mod && key === "y") actions.redo();
    else if (mod || e.altKey) handled = false;
    else if (e.key === "[") actions.brushBy(-1);
    else if (e.key === "]") actions.brushBy(1);
    else if (e.key === "0") actions.fit();
    else if (key === "b" && !e.repeat) actions.hold(true);
    else if (key === "a" && !e.repeat) actions.tryAnother();
    else if (key === "k" && !e.repeat) actions.toggleKeep();
    else handled = false;
    if (handled) e.preventDefault();
  });
  window.addEventListener("keyup", (e) => {
    if (e.key.toLowerCase() === "b") actions.hold(false);
  });
}
