"""Printing: the office's forms as PDF, drawn with reportlab from plain dataclasses.

- kit: what every form is built from — fonts (the GB fonts of the machine, or the bundled open fonts)
  and their cache, GB/T 9704-2012 page furniture, the bordered table form, Chinese line breaking; the
  workflow's own forms (流程图, 催办单); the form registry (for ``govdesk print`` and the GUI) and the
  print spool;
- admin: the audit chain's anchor sheet;
- documents (公文) and claims (报账): one module per printed form, each ``render_…(data) -> bytes``.

An area's forms use the kit and nothing of another area (tests/test_areas.py). Nothing here imports
Qt or SQLAlchemy.
"""
