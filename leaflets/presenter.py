"""A presenter's profile: who gives the clinician deck, and what they disclose.

The deck's title slide names the presenter (name, role, institution) and the
date of the talk; its disclosure slide gives their financial relationships and
the support for the presentation.  Without a profile those stay visibly empty
("Presenter:" with nothing after it) for the presenter to fill in by hand.

A profile is a small YAML file (``--presenter FILE``), validated as strictly as
a topic: unknown keys, wrong types and impossible dates are errors at their
line.  Its values are data and are printed as written (names are not
translated); the date is formatted for the deck's language by CLDR.

```yaml
name: Dr Ana Ruiz
role: Consultant dermatologist
institution: Riverside Skin Clinic
date: 2026-12-10
disclosures:
  financial: None
  support: None
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pydantic
from pydantic import Field, StringConstraints

from leaflets.content.model import Strict
from leaflets.content.yamlsource import load_yaml
from leaflets.errors import LeafletsError

Line = Annotated[str, StringConstraints(min_length=1, max_length=120)]


class Disclosures(Strict):
    financial: Line = Field(description="financial relationships with companies in this field ('None')")
    support: Line = Field(description="support for this presentation ('None')")


class Presenter(Strict):
    name: Line
    role: Line | None = None
    institution: Line | None = None
    date: dt.date | None = None
    disclosures: Disclosures | None = None


@dataclass(frozen=True)
class PresenterProfile:
    """A validated presenter, and the file it came from (for messages and fingerprints)."""

    presenter: Presenter
    source: str

    @property
    def line(self) -> str:
        """"Name, role, institution" as the title slide shows it."""
        p = self.presenter
        return ", ".join(part for part in (p.name, p.role, p.institution) if part)


def load_presenter(path: Path | str) -> PresenterProfile:
    """Read and validate a presenter file; a :class:`LeafletsError` names every problem's line."""
    data, smap = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise LeafletsError(smap.diagnostic((), "expected a mapping: name, role, institution, date, disclosures"))
    try:
        presenter = Presenter.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
            where = ".".join(str(p) for p in loc)
            message = (f"unknown key '{loc[-1]}'; expected one of: name, role, institution, date, disclosures"
                       if err["type"] == "extra_forbidden" else f"{where}: {err['msg']}")
            errors.append(smap.diagnostic(loc, message, value=err["type"] not in ("missing", "extra_forbidden")))
        raise LeafletsError(sorted(set(errors))) from None
    return PresenterProfile(presenter, smap.file)
