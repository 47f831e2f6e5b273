"""报账: the claims lists, the claim window, the flow editor, the flowchart window and the budgets."""
