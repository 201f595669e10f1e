"""Renderers: a localized document in, one file out.  No gettext, no Babel."""
