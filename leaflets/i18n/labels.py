"""Interface strings the layouts need that are not part of any topic.

They are translated like content strings (same catalog, same checks).
Placeholders in braces are filled by the localizer, except ``{page}`` and
``{pages}``, which only the renderer knows: the localized document carries
the template and the locale's digits so the renderer stays Babel-free.
"""

from __future__ import annotations

# key -> (English text, translator comment)
LABELS: dict[str, tuple[str, str]] = {
    "references": ("References", "heading of the reference list (handout and slide)"),
    "sources": ("Sources: {numbers}", "small line under a slide; {numbers} is a list of reference numbers"),
    "page": ("Page {page} of {pages}", "handout footer; {page} and {pages} are page numbers"),
    "content_version": ("Content version {version}", "handout and slide footer"),
    "reviewed": ("Medical content reviewed {date}", "handout footer; {date} is a long date"),
    "language": ("Language: {language}", "handout footer; {language} is the language's own name"),
    "not_advice": ("This leaflet does not replace advice from your own doctor or nurse.",
                   "handout, last line before the references"),
    "title_slide_kind": ("Clinician slide deck", "small line on the title slide"),
    "draft_notice": ("Draft translation: not yet checked by a qualified reviewer.",
                     "printed on every handout page and slide of an unreviewed translation, "
                     "next to the English sentence"),
    "reviewed_by": ("Translation reviewed by {reviewer} on {date}",
                    "handout and slide footer of a reviewed translation; {reviewer} is a name "
                    "and qualification, {date} a long date"),
    "fallback_notice": ("Some parts are not translated yet and are shown in English.",
                        "printed when a build uses English for missing translations"),
    "clinic_phone": ("Phone: {phone}", "clinic edition, header under the clinic's name; {phone} is its number"),
    "qr_alt": ("QR code: this leaflet online at {url}",
               "clinic edition: what the QR code in the header is, for screen readers; {url} is a web address"),
    "large_print_offer": ("Ask us for this leaflet in large print or another language.",
                          "clinic edition, header: the clinic offers other editions ('us' is the clinic)"),
    "language_help": ("Free language help is available. Call {phone}.",
                      "clinic edition, language-assistance notice (US Section 1557): one line in each language the "
                      "clinic serves, printed in YOUR language on every language's leaflet; 'language help' is a "
                      "free interpreter or translation; {phone} is the clinic's number"),
    "patient_name": ("For: {name}", "one patient's copy, first line of the block above the title; {name} is the "
                                    "patient's name"),
    "patient_follow_up": ("Follow-up: {date}", "one patient's copy: the date of the next appointment; {date} is a "
                                               "long date"),
    "patient_note": ("Note: {note}", "one patient's copy: a short note from the clinician; {note} is that note"),
    "continued": ("{title} ({part}/{parts})",
                  "title of a slide whose text continues on more slides: {title} is the slide's title, "
                  "{part} and {parts} are numbers (2/3: the second of three slides)"),
}

RUNTIME_PLACEHOLDERS = {"page", "pages", "title", "part", "parts"}
# Placeholders a label may use that are not facts (filled by the localizer).
LABEL_PLACEHOLDERS = {"numbers", "version", "date", "language", "reviewer", "phone", "url", "name",
                      "note"} | RUNTIME_PLACEHOLDERS


def label_text(key: str) -> str:
    return LABELS[key][0]
