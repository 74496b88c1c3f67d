"""Entry point of the ``amethyst`` command: gathers every command module's commands."""

from __future__ import annotations

import typer

from amethyst.cli import bench, remove, serve, train

app = typer.Typer(
    help="Amethyst: remove unwanted things from photos.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
remove.register(app)
bench.register(app)
serve.register(app)
train.register(app)

if __name__ == "__main__":
    app()
