"""Printing: the office's forms as PDF, drawn with reportlab from plain dataclasses.

- fonts: the GB fonts of the machine, or the bundled open fonts (resources/fonts);
- page: GB/T 9704-2012 page furniture, styles, Chinese dates and page numbers;
- table_form: the bordered label/value table that the forms share;
- urge_slip, flowchart, …: one module per printed form, each ``render_…(data) -> bytes``;
- registry: the forms by name, for ``govdesk print`` and the GUI.

Nothing here imports Qt or SQLAlchemy.
"""
