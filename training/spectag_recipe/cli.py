"""Command-line options shared by the recipe's scripts that read an exported model."""

from __future__ import annotations

import argparse
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent.parent


def add_model_options(parser: argparse.ArgumentParser, data_help: str) -> None:
    """Add `--model` (default models/spectag-e5-small), `--data-root` (default ../shared/data
    beside the repository) and `--threads` (default 2) to `parser`."""
    parser.add_argument("--model", type=Path, default=REPOSITORY_ROOT / "models" / "spectag-e5-small", help="exported model folder")
    parser.add_argument("--data-root", type=Path, default=REPOSITORY_ROOT.parent / "shared" / "data", help=data_help)
    parser.add_argument("--threads", type=int, default=2, help="PyTorch CPU threads (default 2)")
