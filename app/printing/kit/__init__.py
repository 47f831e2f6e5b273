"""What every form is built from: fonts, GB/T 9704 page furniture, table forms, line breaking, the workflow's own forms (流程图, 催办单), the form registry and the print spool."""
