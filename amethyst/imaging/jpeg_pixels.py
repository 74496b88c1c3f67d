"""Decode a box of a JPEG's pixels from its DCT coefficients, as libjpeg would.

The block-wise save reads the coefficients anyway, so the pixels a fill needs come from them
too instead of a second, full decode: only the blocks under the box (plus one MCU around it,
for chroma upsampling) are transformed. The inverse DCT, libjpeg's default "fancy" (triangle)
chroma upsampling and the JFIF colour transform are done in float and rounded where libjpeg
rounds, so pixels match libjpeg's integer decoder within a few levels (0.3 on average, at most 4
in the tests). They are the fill's context and the base its change is measured from; the
blocks the fill leaves alone keep their coefficients whatever this decode gives.
"""

from __future__ import annotations

import cv2
import jpeglib
import numpy as np

from amethyst.imaging.jpeg_blocks import DCT, component_planes, component_scale, mcu_region
from amethyst.regions import Box

# YCbCr -> RGB: the weights of Cb and Cr (centred on 0) in R, G and B; Y's weight is 1.
_RGB = ((0.0, 1.402), (-0.344136, -0.714136), (1.772, 0.0))


def decode_box(jpeg: jpeglib.DCTJPEG, box: Box) -> np.ndarray:
    """Pixels of ``box`` of the stored frame: HxWx3 RGB for YCbCr files, HxW for greyscale."""
    # One MCU more on each side, so upsampling at the box's edge sees the samples beyond it.
    region = mcu_region(jpeg, box, margin=1)
    components = component_planes(jpeg)
    planes = [
        _component_samples(jpeg, index, coefficients, region)
        for index, coefficients in enumerate(components)
    ]
    inner = np.s_[box.y0 - region.y0 : box.y1 - region.y0, box.x0 - region.x0 : box.x1 - region.x0]
    if len(planes) == 1:
        return planes[0][inner].astype(np.uint8)
    luma, blue, red = (plane[inner] for plane in planes)
    blue, red = blue - 128, red - 128
    rgb = np.empty((*luma.shape, 3), np.uint8)
    for channel, (weight_blue, weight_red) in enumerate(_RGB):
        value = luma + weight_blue * blue + weight_red * red
        rgb[..., channel] = np.clip(np.rint(value, out=value), 0, 255, out=value)
    return rgb


def _component_samples(
    jpeg: jpeglib.DCTJPEG, index: int, coefficients: np.ndarray, region: Box
) -> np.ndarray:
    """Component ``index`` over the MCU-aligned ``region``, upsampled to full resolution."""
    scale_rows, scale_cols = component_scale(jpeg, index)
    # libjpeg's component is ceil(size / scale) samples; blocks beyond that are padding.
    top, left = region.y0 // scale_rows, region.x0 // scale_cols
    bottom = -(-region.y1 // scale_rows)
    right = -(-region.x1 // scale_cols)
    blocks = coefficients[top // 8 : -(-bottom // 8), left // 8 : -(-right // 8)]
    quant = jpeg.get_component_qt(index).astype(np.float32)
    samples = DCT.T @ (blocks.astype(np.float32) * quant) @ DCT
    samples = samples.swapaxes(1, 2).reshape(blocks.shape[0] * 8, blocks.shape[1] * 8)
    samples = np.clip(np.rint(samples[: bottom - top, : right - left] + 128), 0, 255)
    if (scale_rows, scale_cols) != (1, 1):
        # At exactly 2x, bilinear resizing is libjpeg's triangle filter (3/4, 1/4), and its
        # replicated border is libjpeg's handling of the photo's edge.
        size = (samples.shape[1] * scale_cols, samples.shape[0] * scale_rows)
        samples = cv2.resize(samples, size, interpolation=cv2.INTER_LINEAR)
    return samples[: region.height, : region.width]
