"""Image handling: decoding and encoding files, colour modes, masks and painted strokes."""
