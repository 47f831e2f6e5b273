"""The 公文 itself, typeset to GB/T 9704-2012 from the approved draft: PDF (render) and .docx (docx_export)."""
