"""Fill quality measured inside the hole only: PSNR, SSIM, L1 and texture distance.

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


def log_gradient(image: np.ndarray) -> np.ndarray:
    """``log(1 + |Sobel gradient|)`` of the grayscale image: a texture signature per pixel."""
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
    return np.log1p(np.hypot(gx, gy))


def texture_distance(output: np.ndarray, original: np.ndarray, mask: np.ndarray) -> float:
    """1-D Wasserstein distance between the hole's log-gradient distributions, output against
    original: 0 means the same gradient statistics; smooth fills of textured holes score high.
    """
    mask = _check(output, original, mask)
    return float(wasserstein_distance(log_gradient(output)[mask], log_gradient(original)[mask]))
