// Decode a photo file upright (EXIF orientation applied), as the server will see it.

export class PhotoUnreadable extends Error {}

/** An ImageBitmap of `blob` turned upright per its EXIF orientation. */
export async function decodeUpright(blob) {
  if ("createImageBitmap" in window) {
    try {
      return await createImageBitmap(blob, { imageOrientation: "from-image" });
    } catch {
      // Older engines reject the option or the format: fall back to an <img>, which also
      // honours EXIF orientation in every current browser.
    }
  }
  return decodeWithImageElement(blob);
}

async function decodeWithImageElement(blob) {
  const url = URL.createObjectURL(blob);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return await createImageBitmap(image);
  } catch {
    throw new PhotoUnreadable("not a decodable image");
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A photo version: its encoded bytes (what gets sent and saved) and, while needed, pixels. */
export class PhotoVersion {
  constructor(blob, name, bitmap) {
    this.blob = blob;
    this.name = name;
    this.bitmap = bitmap;
    this.width = bitmap.width;
    this.height = bitmap.height;
  }

  static async fromBlob(blob, name) {
    return new PhotoVersion(blob, name, await decodeUpright(blob));
  }

  /** The decoded pixels, decoding the bytes again if they were released. */
  async decoded() {
    if (!this.bitmap) this.bitmap = await decodeUpright(this.blob);
    return this.bitmap;
  }

  /** Free the decoded pixels (a 12 MP photo holds 48 MB); the bytes stay. */
  release() {
    this.bitmap?.close();
    this.bitmap = null;
  }
}
