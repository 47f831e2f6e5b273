"""What every form is built from: fonts and their cache, GB/T 9704 page furniture (page), the bordered
table form, Chinese line breaking; the workflow's own forms (流程图 flowchart, 催办单 urge_slip); the form
registry and the print spool."""
