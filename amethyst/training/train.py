"""The GAN training loop: seeded, checkpointed, resumable, on CPU, CUDA or several DDP processes.

Run it through ``amethyst train``. Under ``torchrun`` every process trains on its own batches
and DDP averages the gradients (gloo on CPU, NCCL on CUDA); rank 0 alone writes checkpoints,
TensorBoard logs and the progress bar.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset

from amethyst.evaluation.split import split_photos
from amethyst.training.data import PhotoBatches, fixed_validation_set
from amethyst.training.losses import (
    discriminator_loss,
    feature_matching_loss,
    generator_adversarial_loss,
    patch_mask,
    reconstruction_loss,
)
from amethyst.training.model import Discriminator, Generator
from amethyst.training.validation import fill_quality, selection_key, telea, write_grid

LAST = "last.pt"
BEST = "best.pt"


@dataclass
class TrainConfig:
    """Everything that defines a run; stored in every checkpoint."""

    data: str
    out: str
    steps: int = 100_000
    size: int = 256
    batch: int = 8
    seed: int = 0
    width: float = 0.25
    attention: bool = False  # contextual attention in the generator (model.ContextualAttention)
    lr: float = 1e-3
    lr_d: float = 2e-4
    final_lr_fraction: float = 0.1
    warmup_steps: int = 3000
    adv_ramp_steps: int = 2000
    rec_weight: float = 1.0
    adv_weight: float = 0.1
    fm_weight: float = 30.0
    gradient_weight: float = 0.5
    discount: float = 0.97  # DeepFill's spatial discount of the reconstruction loss (1: off)
    disc_width: int = 32
    ckpt_every: int = 500
    keep_every: int = 5000
    val_every: int = 500
    val_count: int = 48
    bf16: bool = False
    max_photos: int = 0
    workers: int = 0  # processes drawing batches ahead of the GPU (0: in the training process)
    init: str = ""  # a checkpoint to start the weights from (fine-tuning), when not resuming


def _lr_factor(cfg: TrainConfig, step: int) -> float:
    """Cosine decay from 1 to ``final_lr_fraction`` over the run."""
    progress = min(step / max(cfg.steps, 1), 1.0)
    return cfg.final_lr_fraction + (1 - cfg.final_lr_fraction) * 0.5 * (
        1 + math.cos(math.pi * progress)
    )


def _adv_factor(cfg: TrainConfig, step: int) -> float:
    """0 during the reconstruction warm-up, then a linear ramp to 1."""
    if step < cfg.warmup_steps:
        return 0.0
    return min(1.0, (step - cfg.warmup_steps + 1) / max(cfg.adv_ramp_steps, 1))


def _load_matching(module: torch.nn.Module, saved: dict[str, torch.Tensor]) -> list[str]:
    """Copy the saved tensors whose name and shape match; return the names left as initialised."""
    own = module.state_dict()
    matching = {k: v for k, v in saved.items() if k in own and own[k].shape == v.shape}
    module.load_state_dict(matching, strict=False)
    return sorted(set(own) - set(matching))


def warm_start(
    generator: torch.nn.Module, discriminator: torch.nn.Module, checkpoint: str | Path
) -> list[str]:
    """Start both networks from another run's weights, where names and shapes still match (so
    a changed layer trains afresh while the rest keeps what it learned); the optimisers and the
    step start anew. Returns the names of the tensors that did not come from the checkpoint."""
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    fresh = _load_matching(generator, state["generator"])
    fresh += [f"discriminator.{k}" for k in _load_matching(discriminator, state["discriminator"])]
    return fresh


class Trainer:
    """Holds the networks, optimisers and data of one run; ``run()`` trains to ``cfg.steps``."""

    def __init__(self, cfg: TrainConfig, *, resume: bool = False, quiet: bool = False) -> None:
        self.cfg = cfg
        self.quiet = quiet
        self.distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
        if self.distributed and not dist.is_initialized():
            dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        self.rank = dist.get_rank() if self.distributed else 0
        self.world = dist.get_world_size() if self.distributed else 1
        if torch.cuda.is_available():
            local = int(os.environ.get("LOCAL_RANK", 0))
            self.device = torch.device("cuda", local)
            torch.cuda.set_device(self.device)
        else:
            self.device = torch.device("cpu")
        self.out = Path(cfg.out)
        checkpoint = None
        if resume and (self.out / LAST).exists():
            checkpoint = torch.load(self.out / LAST, map_location="cpu", weights_only=False)
            # The architecture comes from the checkpoint; the CLI may only extend the run.
            saved = checkpoint["config"]
            for key in ("width", "disc_width", "seed", "size"):
                setattr(cfg, key, saved[key])
            cfg.attention = saved.get("attention", False)

        torch.manual_seed(cfg.seed)
        self.generator = Generator(width=cfg.width, attention=cfg.attention).to(self.device)
        self.discriminator = Discriminator(width=cfg.disc_width).to(self.device)
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=cfg.lr, betas=(0.9, 0.99))
        self.opt_d = torch.optim.Adam(
            self.discriminator.parameters(), lr=cfg.lr_d, betas=(0.5, 0.999)
        )
        self.step = 0
        self.history: list[dict] = []
        self.best: dict | None = None
        self.new_weights: list[str] = []
        if checkpoint is not None:
            self.generator.load_state_dict(checkpoint["generator"])
            self.discriminator.load_state_dict(checkpoint["discriminator"])
            self.opt_g.load_state_dict(checkpoint["opt_g"])
            self.opt_d.load_state_dict(checkpoint["opt_d"])
            self.step = checkpoint["step"]
            self.history = checkpoint.get("history", [])
            self.best = checkpoint.get("best")
        elif cfg.init:
            self.new_weights = warm_start(self.generator, self.discriminator, cfg.init)
            if not quiet and self.rank == 0:
                print(f"started from {cfg.init}; trained afresh: {', '.join(self.new_weights)}")
        self.g = self.generator
        self.d = self.discriminator
        if self.distributed:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.g = DistributedDataParallel(self.generator, device_ids=ids)
            self.d = DistributedDataParallel(self.discriminator, device_ids=ids)

        train_paths, val_paths = split_photos(cfg.data)
        if cfg.max_photos:
            train_paths = train_paths[: cfg.max_photos]
        self.data = PhotoBatches(train_paths, cfg.size, cfg.seed)
        self.val = None
        self.telea: dict[str, float] | None = None  # Telea's validation scores, the bar to beat
        if self.rank == 0 and val_paths and cfg.val_every:
            self.val = fixed_validation_set(val_paths, cfg.size, cfg.val_count)
            self.telea = fill_quality(telea(*self.val), *self.val)

    def _autocast(self) -> torch.autocast:
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.cfg.bf16)

    def batches(self, until: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """The batches of steps ``self.step`` to ``until``, drawn by ``cfg.workers`` processes
        ahead of the training loop when there are any (the same batches either way)."""
        steps = _StepBatches(self.data, range(self.step, until), self.cfg.batch, self.rank)
        if not self.cfg.workers:
            return (tuple(torch.from_numpy(a) for a in steps[i]) for i in range(len(steps)))
        return iter(
            DataLoader(
                steps,
                batch_size=None,
                num_workers=self.cfg.workers,
                pin_memory=self.device.type == "cuda",
                prefetch_factor=4,
            )
        )

    def train_step(self, images: torch.Tensor, masks: torch.Tensor) -> dict[str, float]:
        """One optimisation step of D (once adversarial training has started) and G on this
        step's batch."""
        cfg = self.cfg
        images = images.to(self.device, non_blocking=True)
        masks = masks.to(self.device, non_blocking=True)
        for group in self.opt_g.param_groups:
            group["lr"] = cfg.lr * _lr_factor(cfg, self.step)
        for group in self.opt_d.param_groups:
            group["lr"] = cfg.lr_d * _lr_factor(cfg, self.step)
        adv = _adv_factor(cfg, self.step)
        logs: dict[str, float] = {}

        with self._autocast():
            fake = self.g(images, masks)
        fake = fake.float()

        if adv > 0:
            self.discriminator.requires_grad_(True)
            self.opt_d.zero_grad(set_to_none=True)
            with self._autocast():
                logits, _ = self.d(torch.cat([images, fake.detach()]), torch.cat([masks, masks]))
            real_logits, fake_logits = logits.float().chunk(2)
            loss_d = discriminator_loss(real_logits, fake_logits, patch_mask(masks, fake_logits))
            loss_d.backward()
            self.opt_d.step()
            logs["loss_d"] = loss_d.item()

        self.opt_g.zero_grad(set_to_none=True)
        rec = reconstruction_loss(fake, images, masks, cfg.gradient_weight, cfg.discount)
        loss_g = cfg.rec_weight * rec
        logs["rec"] = rec.item()
        if adv > 0:
            # D's weights are not trained by G's loss; the unwrapped module skips DDP's sync.
            self.discriminator.requires_grad_(False)
            with self._autocast():
                logits, feats = self.discriminator(
                    torch.cat([fake, images]), torch.cat([masks, masks])
                )
            fake_logits = logits.float().chunk(2)[0]
            adv_g = generator_adversarial_loss(fake_logits, patch_mask(masks, fake_logits))
            halves = [f.float().chunk(2) for f in feats]
            fm = feature_matching_loss([h[0] for h in halves], [h[1] for h in halves])
            loss_g = loss_g + adv * (cfg.adv_weight * adv_g + cfg.fm_weight * fm)
            logs["adv_g"] = adv_g.item()
            logs["fm"] = fm.item()
        loss_g.backward()
        self.opt_g.step()
        self.step += 1
        return logs

    def state(self) -> dict:
        """Everything needed to continue exactly where this run stands."""
        return {
            "config": dataclasses.asdict(self.cfg),
            "step": self.step,
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "history": self.history,
            "best": self.best,
            "telea": self.telea,
        }

    def save(self) -> Path:
        """Write ``last.pt`` atomically (and a numbered copy every ``keep_every`` steps)."""
        self.out.mkdir(parents=True, exist_ok=True)
        tmp = self.out / (LAST + ".tmp")
        torch.save(self.state(), tmp)
        os.replace(tmp, self.out / LAST)
        if self.cfg.keep_every and self.step % self.cfg.keep_every == 0:
            torch.save(self.state(), self.out / f"step_{self.step:07d}.pt")
        return self.out / LAST

    @torch.no_grad()
    def validate(self) -> dict[str, float]:
        """Hole PSNR, texture distance, haze and seam of the generator on the fixed validation
        crops; writes their grid of fills at 100 % to ``OUT/grids``."""
        assert self.val is not None
        self.generator.eval()
        images, masks = (torch.from_numpy(a).to(self.device) for a in self.val)
        outputs = []
        for i in range(0, len(images), 8):
            outputs.append(self.generator(images[i : i + 8], masks[i : i + 8]).float())
        self.generator.train()
        output = torch.cat(outputs).cpu()
        write_grid(
            self.out / "grids" / f"step_{self.step:07d}.png",
            self.val[0][: self.grid_count],
            self.val[1][: self.grid_count],
            output[: self.grid_count],
        )
        return fill_quality(output, *self.val)

    grid_count = 8

    def keep_if_best(self, metrics: dict[str, float]) -> bool:
        """Write ``best.pt`` when this step's validation beats the best so far (by
        ``selection_key`` against Telea on the same crops); return whether it did."""
        key = selection_key(metrics, self.telea["val_psnr"])
        if self.best is not None and tuple(self.best["key"]) <= key:
            return False
        self.best = {"step": self.step, "key": list(key), **metrics}
        self.out.mkdir(parents=True, exist_ok=True)
        tmp = self.out / (BEST + ".tmp")
        torch.save(self.state(), tmp)
        os.replace(tmp, self.out / BEST)
        return True

    def record_validation(self, writer=None, bar=None) -> None:  # noqa: ANN001 (optional imports)
        """Validate, append to the history, keep the best checkpoint, and log it (to a
        TensorBoard ``writer`` and a tqdm ``bar``, when given); ``run`` does it every
        ``val_every`` steps, and a caller that stops between them can do it once more."""
        metrics = self.validate()
        self.history.append({"step": self.step, "time": time.time(), **metrics})
        best = self.keep_if_best(metrics)
        if writer is not None:
            for key, value in metrics.items():
                writer.add_scalar(f"val/{key}", value, self.step)
            bar.write(
                f"step {self.step}: "
                + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
                + (" (best)" if best else "")
            )

    def run(self, until: int | None = None) -> None:
        """Train until step ``until`` (``cfg.steps`` by default; the schedules always span
        ``cfg.steps``), checkpointing and validating on the way."""
        cfg = self.cfg
        until = cfg.steps if until is None else min(until, cfg.steps)
        writer = bar = None
        if self.rank == 0 and not self.quiet:
            from torch.utils.tensorboard import SummaryWriter
            from tqdm import tqdm

            writer = SummaryWriter(str(self.out / "tensorboard"), purge_step=self.step)
            bar = tqdm(
                total=cfg.steps, initial=self.step, unit="it", mininterval=5.0, dynamic_ncols=True
            )
        if self.rank == 0 and self.val is not None and not self.history:
            self.record_validation(writer, bar)  # step 0: the starting weights
        started = time.monotonic()
        for images, masks in self.batches(until):
            logs = self.train_step(images, masks)
            if bar is not None:
                bar.update(1)
                bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()}, refresh=False)
            if writer is not None and self.step % 50 == 0:
                for key, value in logs.items():
                    writer.add_scalar(f"train/{key}", value, self.step)
                writer.add_scalar(
                    "train/images_per_s",
                    50 * cfg.batch * self.world / max(time.monotonic() - started, 1e-9),
                    self.step,
                )
                started = time.monotonic()
            if self.rank == 0 and self.val is not None and self.step % cfg.val_every == 0:
                self.record_validation(writer, bar)
            if self.rank == 0 and self.step % cfg.ckpt_every == 0:
                self.save()
        if self.rank == 0:
            self.save()
        if bar is not None:
            bar.close()
        if writer is not None:
            writer.close()
        if self.distributed:
            dist.barrier()


class _StepBatches(Dataset):
    """Item ``i`` is the batch of step ``steps[i]``: a pure function of the step, so worker
    processes can draw them in any order and the run stays exactly resumable."""

    def __init__(self, data: PhotoBatches, steps: range, batch: int, rank: int) -> None:
        self.data, self.steps, self.batch, self.rank = data, steps, batch, rank

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        return self.data.batch(self.steps[i], self.batch, self.rank)


def train(cfg: TrainConfig, *, resume: bool = False, quiet: bool = False) -> Trainer:
    """Train a run described by ``cfg`` (continuing ``cfg.out``'s last checkpoint if ``resume``)."""
    trainer = Trainer(cfg, resume=resume, quiet=quiet)
    trainer.run()
    return trainer
