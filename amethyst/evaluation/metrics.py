"""Fill quality measured inside the hole only: PSNR, SSIM, L1, texture distance, seam and haze.

Pixels outside the hole are copied from the original by the pipeline, so whole-image scores
would mostly measure the hole's size; every metric here looks at hole pixels alone.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy.stats import wasserstein_distance
from skimage.metrics import structural_similarity


def _check(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Validate the arguments and return the mask as a bool array."""
    if output.shape != original.shape or output.ndim != 3 or output.shape[2] != 3:
        raise ValueError(
            f"output and original must be HxWx3 arrays of one shape, got {output.shape} "
            f"and {original.shape}"
        )
    if output.dtype != np.uint8 or original.dtype != np.uint8:
        raise ValueError(f"images must be uint8, got {output.dtype} and {original.dtype}")
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != output.shape[:2]:
        raise ValueError(f"mask shape {mask.shape} does not match image {output.shape[:2]}")
    if not mask.any():
        raise ValueError("the mask is empty: there is no hole to score")
    return mask


def hole_l1(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """Mean absolute difference over hole pixels and channels, on a 0-1 scale (0 is exact)."""
    mask = _check(output, original, mask)
    diff = np.abs(output[mask].astype(np.float64) - original[mask].astype(np.float64))
    return float(diff.mean() / 255.0)


def hole_psnr(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """PSNR in dB of the hole pixels (higher is closer); ``inf`` when the hole is exact."""
    mask = _check(output, original, mask)
    mse = np.mean((output[mask].astype(np.float64) - original[mask].astype(np.float64)) ** 2)
    if mse == 0:
        return float("inf")
    return float(10.0 * np.log10(255.0**2 / mse))


def hole_ssim(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """Mean of the SSIM map (Wang 2004, Gaussian window) over hole pixels; 1 is identical."""
    mask = _check(output, original, mask)
    _, ssim_map = structural_similarity(
        original,
        output,
        channel_axis=2,
        data_range=255,
        gaussian_weights=True,
        sigma=1.5,
        use_sample_covariance=False,
        full=True,
    )
    return float(ssim_map[mask].mean())


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)


def _gradient(image: np.ndarray) -> np.ndarray:
    """|Sobel gradient| of the grayscale image."""
    grey = _grey(image)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
    return np.hypot(gx, gy)


def log_gradient(image: np.ndarray) -> np.ndarray:
    """``log(1 + |Sobel gradient|)`` of the grayscale image: a texture signature per pixel."""
    return np.log1p(_gradient(image))


def texture_distance(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """1-D Wasserstein distance between the hole's log-gradient distributions, output against
    original: 0 means the same gradient statistics; smooth fills of textured holes score high.
    """
    mask = _check(output, original, mask)
    return float(wasserstein_distance(log_gradient(output)[mask], log_gradient(original)[mask]))


def seam(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """Edges the fill adds on the hole's border that the photo lacks: over a 3 px ring (the mask
    dilated by 1 px minus the mask eroded by 2 px), the mean of max(0, |grad out| - |grad
    original|) in grey levels. 0 means the fill meets the photo without a step."""
    mask = _check(output, original, mask)
    hole = mask.astype(np.uint8)
    kernel = np.ones((3, 3), np.uint8)
    ring = cv2.dilate(hole, kernel, iterations=1).astype(bool) & ~cv2.erode(
        hole, kernel, iterations=2, borderType=cv2.BORDER_CONSTANT, borderValue=1
    ).astype(bool)
    excess = (_gradient(output) - _gradient(original)) / 8.0  # Sobel / 8: grey levels per pixel
    return float(np.maximum(excess[ring], 0.0).mean())


def _local_std(grey: np.ndarray, size: int = 15) -> np.ndarray:
    mean = cv2.blur(grey, (size, size))
    mean_sq = cv2.blur(grey * grey, (size, size))
    return np.sqrt(np.maximum(mean_sq - mean * mean, 0.0))


def haze(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """Contrast the fill loses: over hole pixels at least 3 px inside the hole where the photo's
    15x15 local standard deviation exceeds 2, 1 - the median of std(out) / std(original),
    clipped at 0. 0 means the fill keeps the photo's contrast; NaN when no pixel counts."""
    mask = _check(output, original, mask)
    inside = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 3) >= 3
    std_out = _local_std(_grey(output))
    std_orig = _local_std(_grey(original))
    counted = inside & (std_orig > 2)
    if not counted.any():
        return float("nan")
    ratio = np.median(std_out[counted] / std_orig[counted])
    return float(max(0.0, 1.0 - ratio))
