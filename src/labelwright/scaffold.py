"""``labelwright init``: write a small working project to start from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from labelwright.errors import ConfigError, both_spellings
from labelwright.folders import file_in_the_way

_TEMPLATE = "templates/project"


def _template_files() -> list[tuple[str, bytes]]:
    root = resources.files("labelwright").joinpath(_TEMPLATE)
    out: list[tuple[str, bytes]] = []

    def walk(node, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out.append((rel, child.read_bytes()))

    walk(root, "")
    return out


def init_project(directory: str | Path, *, force: bool = False) -> list[Path]:
    """Create a project in ``directory``; refuses to overwrite files unless ``force``."""
    if not str(directory).strip():
        raise ConfigError("no folder given (an empty name); name the folder to create the "
                          "project in, e.g. `labelwright init my-project` or `.` for this one")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory} is a file; name a folder to create the project in")
    files = _template_files()
    # before anything is written: a file named like a template folder made mkdir fail half
    # way, and the error named the file it meant to write, not the one in the way
    blocked = [b for b in dict.fromkeys(file_in_the_way((directory / rel).parent)
                                        for rel, _ in files) if b is not None]
    if blocked:
        raise ConfigError(f"{blocked[0]} is a file where the project needs a folder; move or "
                          "rename it (nothing was written)")
    folders = [directory / rel for rel, _ in files if (directory / rel).is_dir()]
    if folders:
        raise ConfigError(f"{folders[0]} is a folder where the project writes a file; move "
                          "or rename it (nothing was written)")
    existing = [directory / rel for rel, _ in files if (directory / rel).exists()]
    if existing and not force:
        project = directory / "labelwright.toml" in existing
        raise ConfigError(
            f"{existing[0]} already exists"
            + ("; this folder is a labelwright project already (`labelwright check` and "
               "`labelwright run` work here)" if project else "")
            + f"; {both_spellings('--force', 'force=True')} overwrites the {len(existing)} "
              "template file(s) already there "
            + f"({', '.join(str(p) for p in existing[:4])}{', ...' if len(existing) > 4 else ''})"
            + (", your config among them, with the example's: your labels, data and settings "
               "are lost, and LFs written for them no longer check" if project else ""))
    written: list[Path] = []
    for rel, content in files:
        path = directory / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:  # a file in the way, no permission, a full disk
            raise ConfigError(f"{path}: cannot write the project: {exc.strerror or exc}; "
                              f"{len(written)} of {len(files)} files written") from None
        written.append(path)
    return written
