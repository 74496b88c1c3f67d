"""GAN training: generator shapes, a tiny run that learns, exact resume, DDP and ONNX export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

torch = pytest.importorskip("torch", reason="training needs the [train] extra")

from typer.testing import CliRunner  # noqa: E402

from amethyst.cli.main import app  # noqa: E402
from amethyst.evaluation.split import split_photos  # noqa: E402
from amethyst.training.losses import (  # noqa: E402
    feature_matching_loss,
    reconstruction_loss,
    spatial_discount,
)
from amethyst.training.model import (  # noqa: E402
    ContextualAttention,
    Discriminator,
    Generator,
    push_pull_fill,
)
from amethyst.training.train import BEST, TrainConfig, Trainer, train  # noqa: E402
from amethyst.training.validation import fill_quality, selection_key  # noqa: E402
from tests.photos import photo  # noqa: E402


@pytest.fixture(scope="module")
def photo_folder(tmp_path_factory) -> Path:
    """A dozen 96x96 tiles of the real test photos, as a training folder."""
    folder = tmp_path_factory.mktemp("photos")
    count = 0
    for name in ("coffee.jpg", "chelsea.jpg", "rocket.jpg", "astronaut.png"):
        rgb = np.asarray(photo(name))
        for top, left in ((0, 0), (150, 200), (200, 60), (100, 300)):
            tile = rgb[top : top + 96, left : left + 96]
            Image.fromarray(tile).save(folder / f"tile{count:02d}.png")
            count += 1
    return folder


def _config(folder: Path, out: Path, **overrides) -> TrainConfig:
    settings = dict(
        data=str(folder), out=str(out), size=32, batch=4, steps=6, warmup_steps=3,
        adv_ramp_steps=2, ckpt_every=1000, val_every=0, keep_every=0, seed=3,
    )  # fmt: skip
    settings.update(overrides)
    return TrainConfig(**settings)


@pytest.mark.parametrize(("height", "width"), [(37, 53), (64, 48), (129, 17)])
def test_generator_fills_odd_sizes_once_padded_to_its_stride(height, width):
    generator = Generator().eval()
    stride = Generator.stride
    pad_h, pad_w = -height % stride, -width % stride
    image = torch.rand(1, 3, height, width) * 2 - 1
    mask = torch.zeros(1, 1, height, width)
    mask[..., height // 3 : height // 2, width // 4 : width // 2] = 1
    padded = torch.nn.functional.pad(image, (0, pad_w, 0, pad_h), mode="reflect")
    padded_mask = torch.nn.functional.pad(mask, (0, pad_w, 0, pad_h))
    with torch.no_grad():
        out = generator(padded, padded_mask)[..., :height, :width]
    assert out.shape == image.shape
    assert torch.isfinite(out).all()


def test_generator_keeps_known_pixels_and_fills_the_hole_within_range():
    generator = Generator().eval()
    image = torch.rand(2, 3, 64, 64) * 2 - 1
    mask = torch.zeros(2, 1, 64, 64)
    mask[:, :, 10:40, 20:50] = 1
    with torch.no_grad():
        out = generator(image, mask)
    known = mask.expand_as(image) == 0
    assert torch.equal(out[known], image[known])
    assert out.min() >= -1 and out.max() <= 1


def test_discriminator_scores_patches_and_returns_features():
    logits, features = Discriminator(width=8)(torch.rand(2, 3, 64, 64), torch.zeros(2, 1, 64, 64))
    assert logits.shape == (2, 1, 4, 4)
    assert len(features) == 4


def test_discriminator_is_spectrally_normalised_without_batch_norm():
    discriminator = Discriminator(width=8)
    convs = [m for m in discriminator.modules() if isinstance(m, torch.nn.Conv2d)]
    assert convs and all(torch.nn.utils.parametrize.is_parametrized(m, "weight") for m in convs)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in discriminator.modules())


def test_feature_matching_is_zero_on_equal_features_and_grows_with_their_distance():
    real = [torch.rand(2, 4, 8, 8), torch.rand(2, 8, 4, 4)]
    assert feature_matching_loss(real, real).item() == 0
    near = feature_matching_loss([r + 0.1 for r in real], real).item()
    far = feature_matching_loss([r + 0.5 for r in real], real).item()
    assert 0 < near < far


def test_spatial_discount_holds_the_border_and_fades_inwards():
    mask = torch.zeros(1, 1, 20, 20)
    mask[..., 5:15, 5:15] = 1
    weight = spatial_discount(mask, 0.9)[0, 0, 10]
    assert weight[:6].tolist() == [1.0] * 6  # known pixels and the hole's first ring
    assert weight[6].item() == pytest.approx(0.9) and weight[9].item() == pytest.approx(0.9**4)
    image, target = torch.zeros(1, 3, 20, 20), torch.ones(1, 3, 20, 20)
    assert reconstruction_loss(image, target, mask, 0.0, discount=0.9).item() == pytest.approx(1)


def test_the_correction_holds_no_phase_locked_checkerboard():
    generator = Generator().eval()
    torch.nn.init.normal_(generator.to_rgb.weight, std=0.2)  # sub-pixels free to differ
    image = torch.rand(1, 3, 64, 64) * 2 - 1
    mask = torch.zeros(1, 1, 64, 64)
    mask[..., 8:56, 8:56] = 1
    with torch.no_grad():
        correction = generator(image, mask) - push_pull_fill(image * (1 - mask), 1 - mask)
    inside = correction[0, :, 10:54, 10:54].mean(0)
    checker = inside[0::2, 0::2] - inside[0::2, 1::2] - inside[1::2, 0::2] + inside[1::2, 1::2]
    # A pattern locked to the 2x2 sub-pixel blocks would give a mean far from zero.
    assert checker.mean().abs() < 0.02 * inside.abs().mean()


def test_attention_added_to_a_trained_generator_changes_nothing_until_trained():
    plain = Generator().eval()
    torch.nn.init.normal_(plain.to_rgb.weight, std=0.1)
    attentive = Generator(attention=True).eval()
    missing = attentive.load_state_dict(plain.state_dict(), strict=False).missing_keys
    assert missing and all(key.startswith("attention.") for key in missing)
    image = torch.rand(1, 3, 64, 64) * 2 - 1
    mask = torch.zeros(1, 1, 64, 64)
    mask[..., 16:48, 16:48] = 1
    with torch.no_grad():
        assert torch.equal(attentive(image, mask), plain(image, mask))


def test_attention_copies_features_from_known_cells_only_into_the_hole():
    torch.manual_seed(0)
    attention = ContextualAttention(match_channels=4, value_channels=2, copy_channels=2).eval()
    torch.nn.init.dirac_(attention.to_copy.weight)  # copy the features as they are
    torch.nn.init.zeros_(attention.to_copy.bias)
    torch.nn.init.dirac_(attention.merge.weight)  # and pass the copies through unchanged
    match = torch.rand(1, 4, 4, 4)
    values = torch.rand(1, 2, 8, 8)
    mask = torch.zeros(1, 1, 64, 64)
    mask[..., :32, :32] = 1  # the top-left 2x2 cells at 1/16, 4x4 features at 1/8
    with torch.no_grad():
        out = attention(match, values, mask)
        changed = values.clone()
        changed[..., :4, :4] = 100.0  # the hole's own features must not be copied
        assert torch.equal(attention(match, changed, mask), out)
    assert not out[..., 4:, :].any() and not out[..., :, 4:].any()  # only the hole gets some
    outside = torch.ones(8, 8, dtype=torch.bool)
    outside[:4, :4] = False
    for channel in range(2):  # overlapping weighted means of known features stay in range
        known, inside = values[0, channel][outside], out[0, channel, 1:4, 1:4]
        assert known.min() - 1e-5 <= inside.min() <= inside.max() <= known.max() + 1e-5


def test_attention_patches_overlap_and_blend_back_to_the_features():
    attention = ContextualAttention(match_channels=4, value_channels=2, copy_channels=3)
    features = torch.rand(1, 3, 16, 16)
    conv = torch.nn.functional
    patches = conv.conv2d(features, attention.cut, stride=2, padding=1, groups=3)
    laid = conv.conv_transpose2d(patches, attention.lay, stride=2, padding=1, groups=3)
    assert patches.shape == (1, 3 * 16, 8, 8)
    # The window sums to one wherever two patches overlap: copying each patch onto itself
    # gives the features back (the outermost ring has one patch only).
    assert torch.allclose(laid[..., 1:-1, 1:-1], features[..., 1:-1, 1:-1], atol=1e-6)


def test_validation_scores_texture_writes_a_grid_per_check_and_keeps_the_best(
    photo_folder, tmp_path
):
    trainer = train(_config(photo_folder, tmp_path, steps=4, val_every=2), quiet=True)
    steps = [h["step"] for h in trainer.history]
    assert steps == [0, 2, 4]
    for key in ("val_psnr", "val_texture", "val_haze", "val_seam"):
        assert all(key in h for h in trainer.history)
    assert sorted(p.name for p in (tmp_path / "grids").iterdir()) == [
        "step_0000000.png",
        "step_0000002.png",
        "step_0000004.png",
    ]
    telea_psnr = trainer.telea["val_psnr"]
    best = min(trainer.history, key=lambda h: selection_key(h, telea_psnr))
    saved = torch.load(tmp_path / BEST, weights_only=False)
    assert saved["step"] == best["step"] == trainer.best["step"]


def test_selection_prefers_texture_among_checkpoints_clear_of_telea():
    sharp = {"val_psnr": 20.4, "val_texture": 0.4, "val_haze": 0.2}
    smooth = {"val_psnr": 20.9, "val_texture": 0.9, "val_haze": 0.4}
    below = {"val_psnr": 20.1, "val_texture": 0.1, "val_haze": 0.1}
    ranked = sorted([smooth, below, sharp], key=lambda m: selection_key(m, telea_psnr=20.0))
    assert ranked == [sharp, smooth, below]


def test_fill_quality_of_the_original_is_perfect_but_for_psnr():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (2, 3, 32, 32)).astype(np.float32)
    masks = np.zeros((2, 1, 32, 32), np.float32)
    masks[..., 8:24, 8:24] = 1
    scores = fill_quality(images, images, masks)
    assert scores["val_texture"] == scores["val_seam"] == scores["val_haze"] == 0
    assert scores["val_psnr"] == float("inf")


def test_a_tiny_run_lowers_the_reconstruction_loss(photo_folder, tmp_path):
    cfg = _config(
        photo_folder, tmp_path, steps=30, batch=8, lr=2e-3, warmup_steps=1000, final_lr_fraction=1
    )
    trainer = Trainer(cfg, quiet=True)
    # One fixed batch of real crops: the optimiser must drive its loss down.
    fixed = trainer.data.batch(0, 8)
    trainer.data.batch = lambda step, batch, rank=0: fixed
    images, masks = (torch.from_numpy(a) for a in fixed)

    def loss() -> float:
        with torch.no_grad():
            return reconstruction_loss(trainer.generator(images, masks), images, masks).item()

    before = loss()
    trainer.run()
    assert trainer.step == 30
    assert loss() < 0.95 * before


def test_resuming_reproduces_the_uninterrupted_run_exactly(photo_folder, tmp_path):
    straight = train(_config(photo_folder, tmp_path / "straight", steps=6), quiet=True)
    Trainer(_config(photo_folder, tmp_path / "split", steps=6), quiet=True).run(until=3)
    resumed = train(_config(photo_folder, tmp_path / "split", steps=6), resume=True, quiet=True)
    assert resumed.step == straight.step == 6
    a, b = straight.state(), resumed.state()
    for part in ("generator", "discriminator"):
        for key, value in a[part].items():
            assert torch.equal(value, b[part][key]), f"{part}.{key} differs after resume"
    exp_avg = [s["exp_avg"] for s in a["opt_d"]["state"].values()]
    assert exp_avg and all(
        torch.equal(x, s["exp_avg"])
        for x, s in zip(exp_avg, b["opt_d"]["state"].values(), strict=True)
    )


def test_batches_drawn_by_worker_processes_train_exactly_as_in_process(photo_folder, tmp_path):
    here = train(_config(photo_folder, tmp_path / "here", steps=5), quiet=True)
    ahead = train(_config(photo_folder, tmp_path / "ahead", steps=5, workers=2), quiet=True)
    assert ahead.step == here.step == 5
    for key, value in here.state()["generator"].items():
        assert torch.equal(value, ahead.state()["generator"][key]), key


def test_fine_tuning_starts_from_the_matching_weights_and_trains_a_changed_layer_afresh(
    photo_folder, tmp_path
):
    source = train(_config(photo_folder, tmp_path / "source", steps=4), quiet=True)
    checkpoint = source.save()
    # Pretend the source's output layer had another shape: it must be left as initialised.
    state = torch.load(checkpoint, weights_only=False)
    state["generator"]["to_rgb.weight"] = torch.ones(1, 2, 3, 3)
    torch.save(state, checkpoint)
    tuned = Trainer(_config(photo_folder, tmp_path / "tuned", init=str(checkpoint)), quiet=True)
    assert tuned.step == 0 and not tuned.opt_g.state
    assert tuned.new_weights == ["to_rgb.weight"]
    for key, value in tuned.generator.state_dict().items():
        if key != "to_rgb.weight":
            assert torch.equal(value, source.generator.state_dict()[key]), key
    assert not tuned.generator.to_rgb.weight.any()  # the zero start of a fresh output layer
    for key, value in tuned.discriminator.state_dict().items():
        assert torch.equal(value, source.discriminator.state_dict()[key]), key


def test_train_command_rejects_a_missing_init_checkpoint(photo_folder, tmp_path):
    result = CliRunner().invoke(
        app, ["train", "--data", str(photo_folder), "--init", str(tmp_path / "nope.pt")]
    )
    assert result.exit_code == 1
    assert "no checkpoint" in result.output


def test_training_keeps_the_validation_photos_out(photo_folder):
    cfg = _config(photo_folder, "unused")
    train_paths, val_paths = split_photos(photo_folder)
    trainer = Trainer(cfg, quiet=True)
    assert val_paths, "the fixture should put at least one tile in validation"
    assert len(trainer.data.images) == len(train_paths)


def test_two_process_torchrun_trains_with_ddp_on_cpu(photo_folder, tmp_path):
    out = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [
        sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
        "-m", "amethyst.cli.main", "train", "--data", str(photo_folder), "--out", str(out),
        "--steps", "3", "--size", "32", "--batch", "2", "--warmup-steps", "1", "--val-every", "0",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    state = torch.load(out / "last.pt", weights_only=False)
    assert state["step"] == 3


def test_export_writes_an_onnx_model_that_matches_pytorch(photo_folder, tmp_path):
    train(_config(photo_folder, tmp_path / "run", steps=2), quiet=True)
    onnx_path = tmp_path / "model.onnx"
    result = CliRunner().invoke(
        app, ["export", str(tmp_path / "run" / "last.pt"), "-o", str(onnx_path)]
    )
    assert result.exit_code == 0, result.output
    diff = float(result.output.rsplit(" ", 1)[-1])
    assert diff < 1e-4
    import onnxruntime as ort

    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    image = np.random.default_rng(0).random((1, 3, 48, 80), dtype=np.float32)
    mask = np.zeros((1, 1, 48, 80), np.float32)
    (out,) = session.run(None, {"image": image, "mask": mask})
    assert out.shape == (1, 3, 48, 80)  # dynamic height and width
    assert np.allclose(out, image, atol=1e-6)  # no hole: the photo comes back


def test_export_of_a_generator_with_attention_matches_pytorch(photo_folder, tmp_path):
    train(_config(photo_folder, tmp_path / "run", steps=2, attention=True), quiet=True)
    result = CliRunner().invoke(
        app, ["export", str(tmp_path / "run" / "last.pt"), "-o", str(tmp_path / "a.onnx")]
    )
    assert result.exit_code == 0, result.output
    assert float(result.output.rsplit(" ", 1)[-1]) < 1e-4


def test_export_of_a_missing_checkpoint_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path / "none.pt"), "-o", "x.onnx"])
    assert result.exit_code == 1
    assert "no checkpoint" in result.output
