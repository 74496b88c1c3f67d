"""Losses: hole reconstruction (L1 + image-gradient L1), a mask-aware patch adversarial term
(non-saturating) and discriminator feature matching.

The first model weighed reconstruction 0.999 against adversarial 0.001 (Context Encoders), which
teaches the mean of the possible fills: a blur. The texture recipe gives the adversarial term
real weight, as LaMa does, with feature matching on the discriminator's layers in place of a
perceptual loss (its pretrained weights cannot be loaded here); see ``TrainConfig``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _hole_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``values`` (N,C,H,W) over hole pixels only."""
    weight = mask.expand_as(values)
    return (values * weight).sum() / weight.sum().clamp(min=1.0)


def _gradients(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return x[..., :, 1:] - x[..., :, :-1], x[..., 1:, :] - x[..., :-1, :]


def spatial_discount(mask: torch.Tensor, gamma: float, depth: int = 64) -> torch.Tensor:
    """DeepFill's spatially discounted weight: ``gamma ** d`` for a hole pixel ``d`` pixels
    (chessboard distance, capped at ``depth``) from the nearest known pixel, 1 elsewhere."""
    weight = torch.ones_like(mask)
    inner = mask
    for _ in range(depth):
        inner = -F.max_pool2d(-inner, 3, stride=1, padding=1)  # erode the hole by 1 px
        if not inner.any():
            break
        weight = weight * torch.where(inner > 0, gamma, 1.0)
    return weight


def reconstruction_loss(
    output: torch.Tensor,
    target: torch.Tensor,
    mask: torch.Tensor,
    gradient_weight: float = 0.5,
    discount: float = 1.0,
) -> torch.Tensor:
    """L1 over the hole plus L1 of horizontal/vertical image gradients over the hole, each
    pixel weighted by ``spatial_discount(mask, discount)`` (1: uniform; a weighted mean).

    The gradient term penalises the flat smear a plain L1 settles for; the discount holds the
    fill to the photo near the border (seams) and leaves the interior to the adversarial terms.
    """
    if discount < 1:
        mask = mask * spatial_discount(mask, discount)
    loss = _hole_mean((output - target).abs(), mask)
    (ogx, ogy), (tgx, tgy) = _gradients(output), _gradients(target)
    # A gradient belongs to the hole when either of its two pixels does.
    mx = torch.maximum(mask[..., :, 1:], mask[..., :, :-1])
    my = torch.maximum(mask[..., 1:, :], mask[..., :-1, :])
    grad = _hole_mean((ogx - tgx).abs(), mx) + _hole_mean((ogy - tgy).abs(), my)
    return loss + gradient_weight * grad


def patch_mask(mask: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
    """The share of hole pixels under each discriminator patch, at the logits' resolution."""
    return F.adaptive_avg_pool2d(mask, logits.shape[-2:])


def discriminator_loss(
    real_logits: torch.Tensor, fake_logits: torch.Tensor, fake_holes: torch.Tensor
) -> torch.Tensor:
    """Real photos are real everywhere; a fill is fake where its patches cover the hole and
    real elsewhere (those pixels are the photo's own), so D learns to spot filled regions."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, 1 - fake_holes)
    return real + fake


def generator_adversarial_loss(fake_logits: torch.Tensor, fake_holes: torch.Tensor) -> torch.Tensor:
    """Non-saturating GAN loss on the patches that cover the hole."""
    per_patch = F.binary_cross_entropy_with_logits(
        fake_logits, torch.ones_like(fake_logits), reduction="none"
    )
    return (per_patch * fake_holes).sum() / fake_holes.sum().clamp(min=1e-6)


def feature_matching_loss(fake: list[torch.Tensor], real: list[torch.Tensor]) -> torch.Tensor:
    """Mean over the discriminator's layers of the L1 distance between its features of the fill
    and of the photo (pix2pixHD, LaMa); the photo's features are constants."""
    losses = [(f - r.detach()).abs().mean() for f, r in zip(fake, real, strict=True)]
    return torch.stack(losses).mean()
