"""A user's project: the topics and catalogs a build reads, and where they are.

A project is a folder with ``content/`` (topic YAML files, and
``content/reviews/``) and ``locales/`` (PO catalogs, ``LINGUAS``,
``locales/reviews/``); brand files will live there too.  Which project a
command works on is decided here, once, and nowhere else:

1. ``--project DIR``: that folder;
2. otherwise the current folder, if it has a ``content/`` folder (a clone of
   this repository, or an author's own project);
3. otherwise the topics shipped with leaflets (:mod:`leaflets.resources`),
   so an installed ``leaflets build`` works from any folder.

``--content-dir`` and ``--locales-dir`` then replace either folder.  Engine
data (fonts, the deck template) is never part of a project: it is the
:class:`leaflets.resources.ResourceRoot`'s.  Outputs go wherever ``--out``
says, ``./build`` by default, whichever project is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from leaflets.errors import Diagnostic, LeafletsError, display_path
from leaflets.resources import resources

CONTENT = "content"
LOCALES = "locales"


class UnknownTopic(ValueError):
    """``--topic`` named an id that no topic file of the project has; the message lists the ids."""


BRAND_FILE = "_brand.yml"  # a clinic's brand file (leaflets.clinic); the name Quarto looks for in a project folder


def find_profile(folder: Path) -> Path | None:
    """The brand file of a project folder (``_brand.yml``), if there is one (found without
    loading :mod:`leaflets.clinic`, which a build without a clinic never needs)."""
    candidate = Path(folder) / BRAND_FILE
    return candidate if candidate.is_file() else None


@dataclass(frozen=True)
class Project:
    """Where a project's inputs live: its topic files and its catalogs.

    ``Project()`` is the project shipped with leaflets; :meth:`in_folder`
    and :meth:`find` make the others.  ``only`` keeps some topic files
    (``--topic``): every command then reads those topics alone.
    """

    content_dir: Path = field(default_factory=lambda: resources().content_dir)
    locales_dir: Path = field(default_factory=lambda: resources().locales_dir)
    only: tuple[Path, ...] | None = None

    @classmethod
    def in_folder(cls, folder: Path) -> "Project":
        """The project in ``folder``: its ``content/`` and ``locales/``."""
        folder = Path(folder)
        return cls(content_dir=folder / CONTENT, locales_dir=folder / LOCALES)

    @classmethod
    def find(cls, folder: Path | None = None) -> "Project":
        """The project a command reads when none is named: ``folder`` (default: the
        current folder) if it has a ``content/`` folder, else the shipped topics."""
        folder = Path.cwd() if folder is None else Path(folder)
        return cls.in_folder(folder) if (folder / CONTENT).is_dir() else cls()

    @property
    def folder(self) -> Path:
        """The project folder: the one that holds ``locales/`` (the catalogs name topic files
        relative to it, as gettext's references are relative to where extraction ran)."""
        return Path(self.locales_dir).resolve().parent

    @property
    def is_packaged(self) -> bool:
        """Whether the catalogs are the installed package's own copy, which commands
        must not write (in a git checkout they are the repository's ``locales/``)."""
        return resources().holds(self.locales_dir)

    def topic_files(self) -> list[Path]:
        if self.only is not None:
            return sorted(self.only)
        files = sorted(self.content_dir.glob("*.yaml"))
        if not files:
            raise LeafletsError(Diagnostic(display_path(self.content_dir), 0, 0, "no topic files (*.yaml) found"))
        return files

    def locales(self) -> list[str]:
        """The locales a default build makes (``locales/LINGUAS``, else every catalog)."""
        from leaflets.i18n.locales import shipped_locales
        return shipped_locales(self.locales_dir)

    def catalog_locales(self) -> list[str]:
        """Every language with a catalog, shipped or in progress."""
        from leaflets.i18n.locales import catalog_locales
        return catalog_locales(self.locales_dir)

    def topic_ids(self) -> tuple[dict[str, list[Path]], list[Path]]:
        """Each topic id and the files that declare it, and the files whose id cannot be read.

        Only the YAML is read (with the loader that refuses hostile input),
        not validated: choosing topics should not cost a full load.
        """
        from leaflets.content.yamlsource import load_yaml
        ids: dict[str, list[Path]] = {}
        unreadable = []
        for path in sorted(self.content_dir.glob("*.yaml")):
            try:
                data, _ = load_yaml(path)
            except LeafletsError:
                unreadable.append(path)
                continue
            topic = data.get("topic") if isinstance(data, dict) else None
            topic_id = topic.get("id") if isinstance(topic, dict) else None
            if isinstance(topic_id, str):
                ids.setdefault(topic_id, []).append(path)
            else:
                unreadable.append(path)
        return ids, unreadable

    def with_topics(self, wanted: list[str]) -> "Project":
        """The same project reading only the topics ``wanted`` (ids); raises :class:`UnknownTopic`."""
        ids, unreadable = self.topic_ids()
        unknown = [topic for topic in dict.fromkeys(wanted) if topic not in ids]
        if unknown:
            known = ", ".join(sorted(ids)) or "none"
            note = (f"; the id of {', '.join(display_path(p) for p in unreadable)} cannot be read "
                    "(run check to see why)") if unreadable else ""
            raise UnknownTopic(f"no topic {', '.join(repr(t) for t in unknown)} in "
                               f"{display_path(self.content_dir)}; topics: {known}{note}")
        return replace(self, only=tuple(path for topic in dict.fromkeys(wanted) for path in ids[topic]))
