"""Tally reviewers' blind answers (A, B or tie per sheet) against the sheets' key."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import binomtest

from amethyst.bench.dataset import BenchError

TIES = {"tie", "t", "=", "same", "equal", "either", "neither", "none"}
# The key's per-fill scores, each with the direction that is better.
HIGHER_IS_BETTER = {"psnr": True, "ssim": True, "texture": False, "seam": False, "haze": False}


@dataclass(frozen=True)
class Tally:
    """How often each of two engines was preferred over the sheets a reviewer judged."""

    engines: tuple[str, str]
    wins: dict[str, int]
    ties: int
    left_picks: int  # answers "A": a reviewer's lean to one side shows here
    unanswered: tuple[str, ...]
    # Per score: (decided judgements where the preferred fill scored better, where they differ)
    agreement: dict[str, tuple[int, int]]

    @property
    def judged(self) -> int:
        return sum(self.wins.values()) + self.ties

    @property
    def decided(self) -> int:
        return sum(self.wins.values())

    def p_value(self) -> float | None:
        """Two-sided sign test on the decided sheets: could a coin have split them so?"""
        if not self.decided:
            return None
        return float(binomtest(self.wins[self.engines[0]], self.decided).pvalue)


def _answer(text: str, where: str) -> str | None:
    """``A``, ``B``, ``tie``, or None for a blank; anything else is an error naming ``where``."""
    word = text.strip().strip("\"'").lower()
    if not word:
        return None
    if word in ("a", "b"):
        return word.upper()
    if word in TIES:
        return "tie"
    raise BenchError(f"{where}: answer {text.strip()!r} is not A, B or tie")


def read_answers(path: Path) -> dict[str, str | None]:
    """Sheet name to answer from a CSV (``sheet,answer[,comment]``) or ``sheet answer`` lines;
    a header row, blank lines and ``#`` comments are skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BenchError(f"cannot read the answers {path}: {exc.strerror}") from None
    answers: dict[str, str | None] = {}
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if len(row) == 1:
            row = row[0].split()
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        sheet = Path(row[0].strip()).stem
        if sheet.lower() == "sheet":
            continue
        answers[sheet] = _answer(row[1] if len(row) > 1 else "", f"{path} line {number}")
    return answers


def read_key(path: Path) -> dict:
    """The key that ``write_pair_sheets`` wrote."""
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenchError(f"cannot read the key {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise BenchError(f"the key {path} is not JSON: {exc}") from None
    if not isinstance(key, dict) or len(key.get("engines", ())) != 2 or "sheets" not in key:
        raise BenchError(f"{path} is not a key written by amethyst bench --pairs")
    return key


def _agreement(scores: dict, winner: str, loser: str) -> dict[str, int | None]:
    """Per score in the key: 1 if ``winner``'s fill scored better, 0 if worse, None if equal
    or missing."""
    agree: dict[str, int | None] = {}
    for name, higher in HIGHER_IS_BETTER.items():
        won, lost = scores.get(winner, {}).get(name), scores.get(loser, {}).get(name)
        if won is None or lost is None or won == lost:
            agree[name] = None
        else:
            agree[name] = int((won > lost) == higher)
    return agree


def tally(answers: list[dict[str, str | None]], key: dict) -> Tally:
    """Count each engine's wins and the ties over every reviewer's ``answers`` (one dict per
    reviewer; each answer is one judgement), the sheets that no reviewer answered, and how
    often each score in the key agrees with the reviewers."""
    engines = (key["engines"][0], key["engines"][1])
    wins = dict.fromkeys(engines, 0)
    ties = left = 0
    answered = set()
    agreement = dict.fromkeys(HIGHER_IS_BETTER, (0, 0))
    for reviewer in answers:
        unknown = sorted(set(reviewer) - set(key["sheets"]))
        if unknown:
            raise BenchError(f"the key has no sheet {unknown[0]!r} ({len(unknown)} unknown in all)")
        for sheet, answer in reviewer.items():
            if answer is None:
                continue
            answered.add(sheet)
            if answer == "tie":
                ties += 1
                continue
            sides = key["sheets"][sheet]
            winner, loser = sides[answer], sides["B" if answer == "A" else "A"]
            wins[winner] += 1
            left += answer == "A"
            for name, agrees in _agreement(sides.get("scores", {}), winner, loser).items():
                if agrees is not None:
                    agreed, counted = agreement[name]
                    agreement[name] = (agreed + agrees, counted + 1)
    unanswered = tuple(sheet for sheet in key["sheets"] if sheet not in answered)
    return Tally(engines, wins, ties, left, unanswered, agreement)


def describe(result: Tally) -> str:
    """The tally as a few lines: win rates per engine with counts, ties, side lean, sign test."""
    judged = result.judged
    lines = [f"{result.engines[0]} vs {result.engines[1]}: {judged} judgements"]
    width = max(len(e) for e in result.engines)
    for engine in sorted(result.engines, key=lambda e: -result.wins[e]):
        wins = result.wins[engine]
        share = f"{wins / judged:.0%}" if judged else "–"
        decided = f"{wins / result.decided:.0%}" if result.decided else "–"
        lines.append(
            f"  {engine:<{width}}  preferred in {wins} of {judged} ({share}); "
            f"{wins} of {result.decided} without ties ({decided})"
        )
    lines.append(f"  ties: {result.ties}")
    if result.decided:
        lines.append(
            f"  side: A picked {result.left_picks} times, B {result.decided - result.left_picks}"
        )
        p_value = result.p_value()
        lines.append(
            f"  two-sided sign test on the {result.decided} decided sheets: p = {p_value:.3g}"
        )
    agreeing = [f"{n} {a} of {c}" for n, (a, c) in result.agreement.items() if c]
    if agreeing:
        lines.append("  the preferred fill also scored better on: " + ", ".join(agreeing))
    if result.unanswered:
        shown = ", ".join(result.unanswered[:5]) + (" ..." if len(result.unanswered) > 5 else "")
        lines.append(f"  sheets nobody answered: {len(result.unanswered)} ({shown})")
    return "\n".join(lines)
