"""Where cargo gets native/'s crates (pyo3, pulldown-cmark): shared by setup.py, which builds
generator._native, and bench/rustparse.py, which builds the crate itself when that is missing or stale.

Where Debian's crate sources are installed (librust-pyo3-dev and librust-pulldown-cmark-dev put them in
/usr/share/cargo/registry), cargo builds from them offline: a Debian machine needs only `apt-get install
cargo librust-pyo3-dev librust-pulldown-cmark-dev`, and no network. Elsewhere (rustup's cargo on a
machine without them) cargo resolves from its own registry as usual. Told per command with `--config`,
not by native/.cargo/config.toml, which forced Debian's sources on every machine.
"""

from __future__ import annotations

from pathlib import Path

DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")


def cargo_config(registry: Path = DEBIAN_REGISTRY) -> list[str]:
    """Arguments for any cargo command (metadata, build, rustc): Debian's crate sources in place of the
    crate registry, offline, when ``registry`` is a folder; none otherwise. (`--config` needs cargo 1.63.)"""
    if not registry.is_dir():
        return []
    return ["--config", 'source.crates-io.replace-with="debian"',
            "--config", f'source.debian.directory="{registry}"',
            "--config", "net.offline=true"]


def drop_unreadable_lock(crate: Path) -> None:
    """Remove ``crate``'s Cargo.lock when it is in format v4, which Debian's cargo 1.65 cannot read: one
    written by a newer cargo before Cargo.toml said rust-version. It is git-ignored, and cargo writes it
    again (v3, as rust-version asks) from the same sources."""
    lock = crate / "Cargo.lock"
    try:
        head = lock.read_text(encoding="utf-8")[:200]
    except OSError:
        return
    if "\nversion = 4\n" in head:
        lock.unlink()
